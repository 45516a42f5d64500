#include "tools/store/query_result.h"

#include <gtest/gtest.h>

namespace dsasim::store {
namespace {

QueryResult Sample() {
  QueryResult r;
  r.columns = {"name", "value", "count"};
  r.rows.push_back({TextCell("latency, p99"), RealCell(0.1), IntegerCell(3)});
  r.rows.push_back({TextCell("say \"hi\""), SqlCell{}, IntegerCell(-12)});
  return r;
}

TEST(QueryResultFormat, TextAlignsNumbersRightAndTextLeftAndShowsNullAsDash) {
  EXPECT_EQ(FormatText(Sample()),
            "name          value  count\n"
            "------------  -----  -----\n"
            "latency, p99    0.1      3\n"
            "say \"hi\"          -    -12\n");
}

TEST(QueryResultFormat, TextPadsMultiByteCharactersByTheColumnsTheyTake) {
  // "→" is three UTF-8 bytes and one column: the link name is 11 columns
  // wide, so "x" gets 10 spaces of padding and the numbers line up.
  QueryResult r;
  r.columns = {"component", "busy"};
  r.rows.push_back({TextCell("(0,1)→(1,1)"), RealCell(0.5)});
  r.rows.push_back({TextCell("x"), RealCell(0.25)});
  EXPECT_EQ(FormatText(r),
            "component    busy\n"
            "-----------  ----\n"
            "(0,1)→(1,1)   0.5\n"
            "x            0.25\n");
}

TEST(QueryResultFormat, TextSaysSoWhenThereAreNoRows) {
  QueryResult r;
  r.columns = {"id"};
  EXPECT_EQ(FormatText(r), "id\n--\n(no rows)\n");
}

TEST(QueryResultFormat, CsvQuotesCommasAndQuotesAndLeavesNullEmpty) {
  EXPECT_EQ(FormatCsv(Sample()),
            "name,value,count\n"
            "\"latency, p99\",0.10000000000000001,3\n"
            "\"say \"\"hi\"\"\",,-12\n");
}

TEST(QueryResultFormat, JsonWritesNumbersAsNumbersAndNullAsNull) {
  EXPECT_EQ(FormatJson(Sample()),
            "[{\"name\":\"latency, p99\",\"value\":0.10000000000000001,\"count\":3},"
            "{\"name\":\"say \\\"hi\\\"\",\"value\":null,\"count\":-12}]\n");
}

}  // namespace
}  // namespace dsasim::store
