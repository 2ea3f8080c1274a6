#include "core/checkpoint/pth_writer.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>

#include <fstream>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .pth writer stores tensor memory as is; torch.save files are little-endian"
#endif

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

// The Python class torch.save names for a storage of each dtype.
const char* storageClass(at::ScalarType dtype) {
  switch (dtype) {
    case at::kFloat:
      return "FloatStorage";
    case at::kDouble:
      return "DoubleStorage";
    case at::kHalf:
      return "HalfStorage";
    case at::kBFloat16:
      return "BFloat16Storage";
    case at::kLong:
      return "LongStorage";
    case at::kInt:
      return "IntStorage";
    case at::kShort:
      return "ShortStorage";
    case at::kChar:
      return "CharStorage";
    case at::kByte:
      return "ByteStorage";
    case at::kBool:
      return "BoolStorage";
    default:
      return nullptr;
  }
}

// Emits the same protocol-2 opcodes Python's pickler writes for torch.save of {"model": {...}, ...},
// restricted to those that torch.load's weights_only unpickler also accepts (BINUNICODE, BININT*, LONG1,
// BINPUT/BINGET, TUPLE*, SETITEMS, REDUCE, BINPERSID). Globals are memoised like Python does.
class CheckpointPickler {
 public:
  CheckpointPickler() { out_ += "\x80\x02"; }  // PROTO 2

  std::string finish() {
    out_ += '.';  // STOP
    return std::move(out_);
  }

  void mark() { out_ += '('; }
  void emptyDict() { out_ += '}'; }
  void setItems() { out_ += 'u'; }

  void string(const std::string& text) {
    out_ += 'X';
    appendLittleEndian(text.size(), 4);
    out_ += text;
  }

  void integer(int64_t value) {
    if (value >= 0 && value <= 0xff) {
      out_ += 'K';
      appendLittleEndian(static_cast<uint64_t>(value), 1);
    } else if (value >= 0 && value <= 0xffff) {
      out_ += 'M';
      appendLittleEndian(static_cast<uint64_t>(value), 2);
    } else if (value >= INT32_MIN && value <= INT32_MAX) {
      out_ += 'J';
      appendLittleEndian(static_cast<uint32_t>(static_cast<int32_t>(value)), 4);
    } else {
      // LONG1 with all 8 bytes: Python reads any length, LibTorch's unpickler only this one.
      out_ += '\x8a';
      out_ += '\x08';
      appendLittleEndian(static_cast<uint64_t>(value), 8);
    }
  }

  void intTuple(at::IntArrayRef values) {
    if (values.empty()) {
      out_ += ')';
      return;
    }
    if (values.size() > 3) mark();
    for (int64_t v : values) integer(v);
    static const char kTupleOf[] = {'\0', '\x85', '\x86', '\x87'};
    out_ += values.size() > 3 ? 't' : kTupleOf[values.size()];
  }

  void global(const std::string& module, const std::string& name) {
    const std::string line = module + '\n' + name + '\n';
    auto it = memo_.find(line);
    if (it != memo_.end()) {
      memoGet(it->second);
      return;
    }
    out_ += 'c';
    out_ += line;
    memoPut(line);
  }

  // torch._utils._rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict()) with the storage
  // as persistent id ('storage', torch.<Type>Storage, key, 'cpu', numel): what torch.save writes.
  void tensor(const at::Tensor& t, const std::string& key) {
    global("torch._utils", "_rebuild_tensor_v2");
    mark();
    mark();
    string("storage");
    global("torch", storageClass(t.scalar_type()));
    string(key);
    string("cpu");
    integer(t.numel());
    out_ += 't';  // TUPLE
    out_ += 'Q';  // BINPERSID
    integer(0);
    intTuple(t.sizes());
    intTuple(t.strides());
    out_ += '\x89';  // NEWFALSE: requires_grad
    global("collections", "OrderedDict");
    out_ += ")R";  // OrderedDict(): no backward hooks
    out_ += "tR";  // the argument tuple, then the call
  }

 private:
  void appendLittleEndian(uint64_t value, int n) {
    for (int i = 0; i < n; ++i) out_ += static_cast<char>((value >> (8 * i)) & 0xff);
  }

  void memoPut(const std::string& line) {
    const uint32_t index = static_cast<uint32_t>(memo_.size());
    memo_.emplace(line, index);
    if (index < 256) {
      out_ += 'q';
      appendLittleEndian(index, 1);
    } else {
      out_ += 'r';
      appendLittleEndian(index, 4);
    }
  }

  void memoGet(uint32_t index) {
    if (index < 256) {
      out_ += 'h';
      appendLittleEndian(index, 1);
    } else {
      out_ += 'j';
      appendLittleEndian(index, 4);
    }
  }

  std::string out_;
  std::unordered_map<std::string, uint32_t> memo_;
};

// A contiguous CPU copy in a storable dtype, or Error naming the entry.
at::Tensor storableTensor(const std::string& name, const at::Tensor& tensor) {
  ErrorContext context;
  context.key = name;
  if (!tensor.defined()) throw Error("undefined tensor", context);
  if (tensor.layout() != at::kStrided || tensor.is_quantized()) {
    throw Error("only dense tensors can be saved", context);
  }
  if (!storageClass(tensor.scalar_type())) {
    throw Error(std::string("dtype ") + c10::toString(tensor.scalar_type()) + " cannot be saved", context);
  }
  return tensor.detach().to(at::kCPU).contiguous();
}

// Python's pickler batches SETITEMS by 1000 pairs; the same keeps the unpickler's mark stack small.
constexpr size_t kSetItemsBatch = 1000;

std::string checkpointPickle(const std::vector<at::Tensor>& tensors, const NamedTensors& state_dict,
                             int64_t iteration) {
  CheckpointPickler pickler;
  pickler.emptyDict();
  pickler.mark();
  pickler.string("model");
  pickler.emptyDict();
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (i % kSetItemsBatch == 0) pickler.mark();
    pickler.string(state_dict[i].first);
    pickler.tensor(tensors[i], std::to_string(i));
    if (i % kSetItemsBatch == kSetItemsBatch - 1 || i + 1 == tensors.size()) pickler.setItems();
  }
  pickler.string("iteration");
  pickler.integer(iteration);
  pickler.setItems();
  return pickler.finish();
}

void writeArchive(const fs::path& temp, const std::string& pickle, const std::vector<at::Tensor>& tensors) {
  std::ofstream out(temp, std::ios::binary | std::ios::trunc);
  if (!out) throw Error("cannot open for writing", inFile(temp.string()));
  // The sink always reports success: a failure reported to miniz would make the writer throw, and its
  // destructor finalises the archive again. The stream state is checked once the archive is complete.
  const std::function<size_t(const void*, size_t)> sink = [&out](const void* data, size_t size) {
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    return size;
  };
  caffe2::serialize::PyTorchStreamWriter writer(sink);
  writer.writeRecord("data.pkl", pickle.data(), pickle.size());
  writer.writeRecord("byteorder", "little", 6);  // what PyTorch >= 2.1 records; older versions ignore it
  for (size_t i = 0; i < tensors.size(); ++i) {
    writer.writeRecord("data/" + std::to_string(i), tensors[i].data_ptr(), tensors[i].nbytes());
  }
  writer.writeEndOfFile();
  out.close();
  if (out.fail()) throw Error("write failed (disk full?)", inFile(temp.string()));
}

}  // namespace

void savePth(const fs::path& path, const NamedTensors& state_dict, int64_t iteration) {
  const std::string file = path.string();
  std::unordered_set<std::string> names;
  std::vector<at::Tensor> tensors;
  tensors.reserve(state_dict.size());
  try {
    for (const auto& [name, tensor] : state_dict) {
      if (!names.insert(name).second) throw Error("duplicate state-dict name", atKey(file, name));
      tensors.push_back(storableTensor(name, tensor));
    }
    const std::string pickle = checkpointPickle(tensors, state_dict, iteration);
    AtomicFile target(path);
    writeArchive(target.tempPath(), pickle, tensors);
    target.commit();
  } catch (const Error& e) {
    throw e.withContext(inFile(file));
  } catch (const c10::Error& e) {
    throw Error(std::string("cannot write the checkpoint: ") + e.what_without_backtrace(), inFile(file));
  }
}

}  // namespace autoqvis
