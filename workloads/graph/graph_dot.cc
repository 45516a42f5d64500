#include "workloads/graph/graph_dot.h"

#include <set>
#include <sstream>

#include "workloads/graph/graph_errors.h"
#include "workloads/graph/graph_index.h"
#include "workloads/graph/op_kind.h"

namespace dsasim::workloads {
namespace {

// A DOT double-quoted string: quotes and backslashes escaped.
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    if (ch == '\n') {
      out += "\\n";
      continue;
    }
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string GraphToDot(const v1::OperatorGraph& graph) {
  GraphIndex index(graph);
  std::ostringstream out;
  out << "digraph " << Quoted(graph.name()) << " {\n"
      << "  rankdir=TB;\n"
      << "  node [shape=box, fontname=\"monospace\"];\n"
      << "  edge [fontname=\"monospace\", fontsize=10];\n";
  // Graph inputs, in the order the ops first read them.
  std::set<std::string_view> shown;
  for (const v1::Operator& op : graph.ops()) {
    for (const std::string& in : op.inputs()) {
      const v1::Tensor* t = index.FindTensor(in);
      if (index.Producer(in) >= 0 || t->placement() == v1::PLACEMENT_WEIGHT ||
          t->placement() == v1::PLACEMENT_WEIGHT_SCALE || !shown.insert(in).second) {
        continue;
      }
      out << "  " << Quoted("in:" + in)
          << " [shape=ellipse, label=" << Quoted(in + "\n" + ShapeString(*t)) << "];\n";
    }
  }
  for (int o = 0; o < graph.ops_size(); ++o) {
    const v1::Operator& op = graph.ops(o);
    out << "  op" << o
        << " [label=" << Quoted(op.name() + "\n" + std::string(OpKindName(op))) << "];\n";
  }
  for (int o = 0; o < graph.ops_size(); ++o) {
    const v1::Operator& op = graph.ops(o);
    std::set<std::string_view> drawn;  // an input read twice is one edge
    for (const std::string& in : op.inputs()) {
      if (!drawn.insert(in).second) continue;
      int producer = index.Producer(in);
      std::string label = Quoted(in + " " + ShapeString(*index.FindTensor(in)));
      if (producer >= 0) {
        out << "  op" << producer << " -> op" << o << " [label=" << label << "];\n";
      } else if (shown.count(in)) {
        out << "  " << Quoted("in:" + in) << " -> op" << o << ";\n";
      }
    }
    for (const std::string& dep : op.control_deps()) {
      out << "  op" << index.FindOp(dep) << " -> op" << o << " [style=dashed];\n";
    }
  }
  out << "}\n";
  return out.str();
}

}  // namespace dsasim::workloads
