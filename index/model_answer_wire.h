// ModelAnswer (model_answer.h), and the paged form (model_page.h), to and from
// its protobuf form (model_answer.proto), for a file or a gRPC response. Pure;
// thread-safe.
#ifndef INDEX_MODEL_ANSWER_WIRE_H_
#define INDEX_MODEL_ANSWER_WIRE_H_

#include <string>

#include "absl/status/statusor.h"
#include "index/model_answer.h"
#include "index/model_answer.pb.h"
#include "index/model_page.h"

namespace vindex {

aifl::index::v1::ModelAnswer ModelAnswerToProto(const ModelAnswer& answer,
                                                const std::string& model_id);

// kInvalidArgument naming the first proof hash that is not 32 bytes.
absl::StatusOr<ModelAnswer> ModelAnswerFromProto(
    const aifl::index::v1::ModelAnswer& proto);

aifl::index::v1::ModelAnswerHead ModelHeadToProto(const ModelAnswerHead& head);
// kInvalidArgument naming the first hash that is not 32 bytes.
absl::StatusOr<ModelAnswerHead> ModelHeadFromProto(
    const aifl::index::v1::ModelAnswerHead& proto);

aifl::index::v1::ModelPage ModelPageToProto(const ModelPage& page);
// kInvalidArgument naming the first hash that is not 32 bytes.
absl::StatusOr<ModelPage> ModelPageFromProto(
    const aifl::index::v1::ModelPage& proto);

}  // namespace vindex

#endif  // INDEX_MODEL_ANSWER_WIRE_H_
