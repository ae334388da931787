#include "common/json.h"

#include "gtest/gtest.h"

namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(common::JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(common::JsonQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(common::JsonQuote("line\nnext\t\x01"), "\"line\\nnext\\t\\u0001\"");
  EXPECT_EQ(common::JsonQuote("Zürich"), "\"Zürich\"");
}

}  // namespace
