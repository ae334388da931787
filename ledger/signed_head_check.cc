#include "ledger/signed_head_check.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace ledger {

absl::StatusOr<HeadComparison> CompareTreeWithSignedHead(
    const Ledger& ledger, absl::string_view source, uint64_t size,
    const merkle::Hash& root) {
  const uint64_t tree_size = ledger.Size();
  HeadComparison out;
  if (size > tree_size) {
    out.verdict = HeadComparison::Verdict::kHeadAhead;
    out.message = absl::StrCat(
        source, " is ahead: the log key signed size ", size,
        " but the stored tree holds ", tree_size, " entries (",
        size - tree_size,
        " signed entries missing: restored from an old backup?); do not "
        "sign on this tree");
    return out;
  }
  ASSIGN_OR_RETURN(merkle::Hash stored, ledger.RootAt(size));
  if (stored != root) {
    out.verdict = HeadComparison::Verdict::kRootDiffers;
    out.message = absl::StrCat(
        source, " disagrees: at size ", size, " it has root ",
        merkle::HashToBase64(root), ", the stored tree gives ",
        merkle::HashToBase64(stored), " (a fork or a damaged tree)");
    return out;
  }
  if (size == tree_size) {
    out.message =
        absl::StrCat(source, " matches the stored tree (size ", size, ")");
    return out;
  }
  out.verdict = HeadComparison::Verdict::kTreeAhead;
  out.message = absl::StrCat("the stored tree is ahead of ", source, ": ",
                             tree_size, " entries, ", source, " signed size ",
                             size, " (consistent: the tree extends it)");
  return out;
}

}  // namespace ledger
