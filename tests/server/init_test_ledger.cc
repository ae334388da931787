// Creates a ledger in argv[1] (test helper for ledger_server_main_test.sh).
#include <cstdio>

#include "ledger/ledger_init.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto result = ledger::InitLedger(argv[1], "test.example/ledger", nullptr);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  return 0;
}
