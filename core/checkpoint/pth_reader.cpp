#include "core/checkpoint/pth_reader.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <fstream>
#include <memory>
#include <new>
#include <string>

#include "core/checkpoint/pickle_reader.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

using caffe2::serialize::PyTorchStreamReader;

// Sorts out files that are no zip at all before miniz sees them, with a message that says what they are:
// a zip starts with "PK"; the legacy (pre-1.6) torch.save format is a bare pickle starting with PROTO.
void checkSignature(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[2] = {};
  in.read(head, 2);
  if (in.gcount() == 2 && static_cast<uint8_t>(head[0]) == 0x80) {
    throw Error(
        "legacy (pre-1.6, non-zip) torch.save format is not supported; re-save the checkpoint with a "
        "newer PyTorch");
  }
  if (in.gcount() < 2 || head[0] != 'P' || head[1] != 'K') throw Error("not a torch.save zip archive");
}

ErrorContext atRecord(const std::string& name) {
  ErrorContext context;
  context.key = name;
  return context;
}

// The record as a uint8 tensor that owns the buffer LibTorch read it into (no copy).
at::Tensor recordBytes(PyTorchStreamReader& reader, const std::string& name) {
  if (!reader.hasRecord(name)) throw Error("the archive has no such record", atRecord(name));
  auto [data, size] = reader.getRecord(name);
  if (size == 0) return at::empty({0}, at::kByte);
  auto owner = std::make_shared<at::DataPtr>(std::move(data));
  return at::from_blob(
      owner->get(), {static_cast<int64_t>(size)}, [owner](void*) {}, at::TensorOptions().dtype(at::kByte));
}

// PyTorch >= 2.1 records the byte order of the saving machine; storages are reinterpreted in place here,
// so only little-endian files (every x86 and ARM machine) are accepted.
void checkByteOrder(PyTorchStreamReader& reader) {
  if (!reader.hasRecord("byteorder")) return;
  auto [data, size] = reader.getRecord("byteorder");
  const std::string order(static_cast<const char*>(data.get()), size);
  if (order != "little")
    throw Error("storages are saved " + order + "-endian; only little-endian is supported");
}

PickleValue readArchive(const std::string& file) {
  PyTorchStreamReader reader(file);
  checkByteOrder(reader);
  if (!reader.hasRecord("data.pkl"))
    throw Error("the archive has no data.pkl record (not a torch.save file)");
  const at::Tensor pickle = recordBytes(reader, "data.pkl");
  const std::string_view bytes(static_cast<const char*>(pickle.data_ptr()),
                               static_cast<size_t>(pickle.numel()));
  return decodeTorchPickle(bytes,
                           [&reader](const std::string& key) { return recordBytes(reader, "data/" + key); });
}

}  // namespace

PickleValue readPth(const fs::path& path) {
  const std::string file = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw Error("file not found", inFile(file));
  if (!fs::is_regular_file(path, ec)) throw Error("not a regular file", inFile(file));
  try {
    checkSignature(path);
    return readArchive(file);
  } catch (const Error& e) {
    throw e.withContext(inFile(file));
  } catch (const c10::Error& e) {
    // miniz and LibTorch report truncated or corrupt archives (and failed allocations) this way.
    std::string what = e.what_without_backtrace();
    what = what.substr(0, what.find('\n'));
    throw Error("corrupt or truncated torch.save archive: " + what, inFile(file));
  } catch (const std::bad_alloc&) {
    throw Error("out of memory while reading the checkpoint", inFile(file));
  } catch (const std::exception& e) {
    throw Error(std::string("cannot read the checkpoint: ") + e.what(), inFile(file));
  }
}

}  // namespace autoqvis
