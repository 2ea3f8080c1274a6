// The vocabulary of the pickle subset that torch.save writes: its opcodes, the names of the opcodes we
// refuse, and the small value helpers the decoder needs (printable names for messages, canonical dict keys).
// Internal to the .pth reader (core/io/pickle_reader.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/checkpoint/pickle_value.h"

namespace autoqvis::pickle_detail {

// Opcodes of pickle protocols 2 to 4 that torch.save output (or a plain-container checkpoint) can use.
enum Opcode : uint8_t {
  kMark = '(',
  kStop = '.',
  kPop = '0',
  kPopMark = '1',
  kDup = '2',
  kBinInt = 'J',
  kBinInt1 = 'K',
  kBinInt2 = 'M',
  kNone = 'N',
  kBinPersId = 'Q',
  kReduce = 'R',
  kBinString = 'T',
  kShortBinString = 'U',
  kBinUnicode = 'X',
  kAppend = 'a',
  kBuild = 'b',
  kGlobal = 'c',
  kDict = 'd',
  kEmptyDict = '}',
  kAppends = 'e',
  kBinGet = 'h',
  kLongBinGet = 'j',
  kList = 'l',
  kEmptyList = ']',
  kBinPut = 'q',
  kLongBinPut = 'r',
  kSetItem = 's',
  kTuple = 't',
  kEmptyTuple = ')',
  kSetItems = 'u',
  kBinFloat = 'G',
  kBinBytes = 'B',
  kShortBinBytes = 'C',
  kProto = 0x80,
  kTuple1 = 0x85,
  kTuple2 = 0x86,
  kTuple3 = 0x87,
  kNewTrue = 0x88,
  kNewFalse = 0x89,
  kLong1 = 0x8a,
  kLong4 = 0x8b,
  kShortBinUnicode = 0x8c,
  kBinUnicode8 = 0x8d,
  kBinBytes8 = 0x8e,
  kStackGlobal = 0x93,
  kMemoize = 0x94,
  kFrame = 0x95,
};

/// The name of an opcode Python's pickle has but a tensor checkpoint never needs, or nullptr.
const char* unsupportedOpcodeName(uint8_t op);

/// For messages: a name from the file as printable ASCII (hostile files put anything there), shortened.
std::string printable(std::string_view text);

/// A dict key in canonical form, so SETITEM on an existing key replaces its value in place as Python does
/// (1, 1.0 and True are the same key there). Unhashable or identity-hashed keys get no dedup.
std::optional<std::string> canonicalKey(const PickleValue& key);

}  // namespace autoqvis::pickle_detail
