// File: sim/error.h
//
// Errors that reach the user. Each message names what is wrong precisely
// enough to fix it: the file, the line, the field and the offending value.
// The CLI prints the message and exits non-zero; nothing is half-written.
#pragma once

#include <stdexcept>
#include <string>

namespace dsasim {

// Bad configuration, model spec, trace or command-line value.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A workload that cannot run on the hardware as described (a tile that does
// not fit the scratchpad, a device out of range).
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run that would exceed a work limit (--max-events, --max-memory): refused
// before the work, or stopped when it reaches the limit.
class LimitError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace dsasim
