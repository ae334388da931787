// Writes the compliance scenario ledger (testonly/scenario_ledger.h) under
// $TEST_TMPDIR and prints its folder.
#include <iostream>

#include "tests/compliance/testonly/scenario_ledger.h"

int main() {
  auto s = compliance_test::BuildScenarioLedger();
  if (!s.ok()) {
    std::cerr << s.status() << "\n";
    return 1;
  }
  std::cout << s->fixture->dir() << "\n";
  return 0;
}
