#include "ledger/ledger_options.h"

namespace ledger {

std::string DbPath(const std::string& dir) { return dir + "/db"; }
std::string KeysPath(const std::string& dir) { return dir + "/keys"; }
std::string DefaultLogKeyPath(const std::string& dir) {
  return KeysPath(dir) + "/log.key";
}
std::string DefaultAdminKeyPath(const std::string& dir) {
  return KeysPath(dir) + "/admin.key";
}
std::string SignedStatePath(const std::string& log_key_path,
                            const std::string& signed_state_dir) {
  if (signed_state_dir.empty()) return log_key_path + ".signed-state";
  const size_t slash = log_key_path.rfind('/');
  const std::string name = slash == std::string::npos
                               ? log_key_path
                               : log_key_path.substr(slash + 1);
  return signed_state_dir + "/" + name + ".signed-state";
}

}  // namespace ledger
