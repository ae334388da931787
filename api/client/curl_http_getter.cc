#include "api/client/curl_http_getter.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"

namespace api::client {
namespace {

// The body being received and its bound; the write callback refuses bytes
// past the bound, which makes curl fail the transfer (CURLE_WRITE_ERROR).
struct Sink {
  std::string body;
  size_t max_bytes = 0;
  bool too_long = false;
};

size_t Write(char* data, size_t size, size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->body.size() + n > sink->max_bytes) {
    sink->too_long = true;
    return 0;
  }
  sink->body.append(data, n);
  return n;
}

// curl_global_init is not thread-safe and must run once; a function-local
// static runs it once, thread-safely, before the first handle.
bool GlobalInit() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ok;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlHttpGetter>> CurlHttpGetter::Create(
    CurlHttpGetterOptions options) {
  if (!GlobalInit()) return absl::InternalError("curl_global_init failed");
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("curl_easy_init failed");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // "": every encoding this libcurl can decode (gzip, deflate, ...).
  if (options.accept_compressed) {
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  }
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(
      curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options.connect_timeout)));
  if (options.total_timeout > absl::ZeroDuration()) {
    curl_easy_setopt(
        curl, CURLOPT_TIMEOUT_MS,
        static_cast<long>(absl::ToInt64Milliseconds(options.total_timeout)));
  }
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(
      curl, CURLOPT_LOW_SPEED_TIME,
      static_cast<long>(absl::ToInt64Seconds(options.stall_timeout)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "aifl-tiles-reader");
  return std::unique_ptr<CurlHttpGetter>(new CurlHttpGetter(curl));
}

CurlHttpGetter::~CurlHttpGetter() { curl_easy_cleanup(curl_); }

absl::StatusOr<std::string> CurlHttpGetter::Get(absl::string_view url,
                                                size_t max_bytes) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  absl::StatusOr<HttpAnswer> answer = Perform("GET", url, max_bytes);
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) {
    return absl::NotFoundError(absl::StrCat("GET ", url, ": HTTP 404"));
  }
  if (answer->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET ", url, ": HTTP ", answer->status));
  }
  return std::move(answer->body);
}

absl::StatusOr<HttpAnswer> CurlHttpGetter::Post(absl::string_view url,
                                                absl::string_view content_type,
                                                absl::string_view body,
                                                size_t max_bytes) {
  CURL* curl = static_cast<CURL*>(curl_);
  const std::string type_header = absl::StrCat("Content-Type: ", content_type);
  curl_slist* headers = curl_slist_append(nullptr, type_header.c_str());
  // No "Expect: 100-continue" round trip before small bodies.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  absl::StatusOr<HttpAnswer> answer = Perform("POST", url, max_bytes);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return answer;
}

absl::StatusOr<HttpAnswer> CurlHttpGetter::Perform(absl::string_view method,
                                                   absl::string_view url,
                                                   size_t max_bytes) {
  CURL* curl = static_cast<CURL*>(curl_);
  const std::string u(url);
  Sink sink;
  sink.max_bytes = max_bytes;
  curl_easy_setopt(curl, CURLOPT_URL, u.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  const CURLcode code = curl_easy_perform(curl);
  if (sink.too_long) {
    return absl::UnavailableError(absl::StrCat(
        method, " ", url, ": the body is longer than ", max_bytes, " bytes"));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(method, " ", url, ": ", curl_easy_strerror(code)));
  }
  HttpAnswer answer;
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  char* type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
  if (type != nullptr) answer.content_type = type;
  answer.body = std::move(sink.body);
  return answer;
}

}  // namespace api::client
