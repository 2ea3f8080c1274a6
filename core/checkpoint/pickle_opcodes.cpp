#include "core/checkpoint/pickle_opcodes.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace autoqvis::pickle_detail {

const char* unsupportedOpcodeName(uint8_t op) {
  switch (op) {
    case 'I':
      return "INT";
    case 'L':
      return "LONG";
    case 'F':
      return "FLOAT";
    case 'S':
      return "STRING";
    case 'V':
      return "UNICODE";
    case 'P':
      return "PERSID";
    case 'g':
      return "GET";
    case 'p':
      return "PUT";
    case 'i':
      return "INST";
    case 'o':
      return "OBJ";
    case 0x81:
      return "NEWOBJ";
    case 0x82:
      return "EXT1";
    case 0x83:
      return "EXT2";
    case 0x84:
      return "EXT4";
    case 0x8f:
      return "EMPTY_SET";
    case 0x90:
      return "ADDITEMS";
    case 0x91:
      return "FROZENSET";
    case 0x92:
      return "NEWOBJ_EX";
    case 0x96:
      return "BYTEARRAY8";
    case 0x97:
      return "NEXT_BUFFER";
    case 0x98:
      return "READONLY_BUFFER";
    default:
      return nullptr;
  }
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 120)) {
    const auto byte = static_cast<uint8_t>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
      out += escaped;
    }
  }
  return text.size() > 120 ? out + "..." : out;
}

std::optional<std::string> canonicalKey(const PickleValue& key) {
  using K = PickleValue::Kind;
  auto sized = [](char tag, const std::string& text) {
    return tag + std::to_string(text.size()) + ':' + text;
  };
  switch (key.kind()) {
    case K::None:
      return std::string("n");
    case K::Bool:
      return std::string(key.toBool() ? "i1" : "i0");
    case K::Int:
      return "i" + std::to_string(key.toInt());
    case K::Float: {
      const double d = key.toDouble();
      if (std::isnan(d)) return std::nullopt;
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return "i" + std::to_string(static_cast<int64_t>(d));
      char buffer[40];
      std::snprintf(buffer, sizeof(buffer), "f%a", d);
      return std::string(buffer);
    }
    case K::String:
      return sized('s', key.toString());
    case K::Bytes:
      return sized('b', key.toString());
    case K::Tuple: {
      std::string out = "t" + std::to_string(key.items().size()) + ':';
      for (const PickleValue& item : key.items()) {
        std::optional<std::string> part = canonicalKey(item);
        if (!part) return std::nullopt;
        out += sized('e', *part);
      }
      return out;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace autoqvis::pickle_detail
