// The .pth checkpoint reader and writer: the detectron2-layout fixture reads with the reference names,
// shapes and dtypes; single-tensor files match LibTorch's own unpickler bit for bit; savePth round-trips
// and stays readable by torch::pickle_load; broken or hostile files fail with an Error naming the file.
// LibTorch before Qt: Qt's `slots` keyword macro breaks LibTorch headers.
#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/checkpoint/pth_reader.h"
#include "core/checkpoint/pth_state_dict.h"
#include "core/checkpoint/pth_writer.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kCase = fs::path(AUTOQVIS_FIXTURES_DIR) / "m2f-small";

std::vector<std::vector<std::string>> readTsv(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

std::string shapeText(const torch::Tensor& t) {
  std::string out;
  for (int64_t d : t.sizes()) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

std::string dtypeText(const torch::Tensor& t) {
  switch (t.scalar_type()) {
    case torch::kFloat:
      return "float32";
    case torch::kLong:
      return "int64";
    case torch::kByte:
      return "uint8";
    case torch::kBool:
      return "bool";
    default:
      return c10::toString(t.scalar_type());
  }
}

bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
  return a.scalar_type() == b.scalar_type() && a.sizes() == b.sizes() && torch::equal(a, b);
}

std::vector<char> fileBytes(const fs::path& path) {
  const std::string bytes = readFile(path);
  return std::vector<char>(bytes.begin(), bytes.end());
}

// A zip archive in torch.save layout with the given records ("data.pkl", "data/0", ...).
std::string makeArchive(const std::map<std::string, std::string>& records) {
  std::string out;
  std::function<size_t(const void*, size_t)> sink = [&out](const void* data, size_t size) {
    out.append(static_cast<const char*>(data), size);
    return size;
  };
  caffe2::serialize::PyTorchStreamWriter writer(sink);
  for (const auto& [name, data] : records) writer.writeRecord(name, data.data(), data.size());
  writer.writeEndOfFile();
  return out;
}

std::map<std::string, std::string> archiveRecords(const fs::path& path) {
  caffe2::serialize::PyTorchStreamReader reader(path.string());
  std::map<std::string, std::string> records;
  for (const std::string& name : reader.getAllRecords()) {
    if (name == "version") continue;  // the writer adds its own
    auto [data, size] = reader.getRecord(name);
    records[name] = std::string(static_cast<const char*>(data.get()), size);
  }
  return records;
}

// Little pickle builders for hand-made data.pkl files.
std::string i32(int32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((static_cast<uint32_t>(v) >> (8 * i)) & 0xff);
  return out;
}
std::string str(const std::string& s) { return "X" + i32(static_cast<int32_t>(s.size())) + s; }
std::string intTuple(const std::vector<int32_t>& values) {
  std::string out = "(";
  for (int32_t v : values) out += "J" + i32(v);
  return out + "t";
}

// _rebuild_tensor_v2 of storage "0" with `numel` elements, as torch.save writes it (no PROTO / STOP).
std::string tensorExpr(int32_t numel, int32_t offset, const std::vector<int32_t>& size,
                       const std::vector<int32_t>& stride, const std::string& storage = "FloatStorage") {
  return "ctorch._utils\n_rebuild_tensor_v2\n((" + str("storage") + "ctorch\n" + storage + "\n" + str("0") +
         str("cpu") + "J" + i32(numel) + "tQJ" + i32(offset) + intTuple(size) + intTuple(stride) +
         "\x89"
         "ccollections\nOrderedDict\n)RtR";
}

std::string tensorPickle(int32_t numel, int32_t offset, const std::vector<int32_t>& size,
                         const std::vector<int32_t>& stride, const std::string& storage = "FloatStorage") {
  return "\x80\x02" + tensorExpr(numel, offset, size, stride, storage) + ".";
}

// A string literal with embedded NUL bytes kept.
template <size_t N>
std::string bin(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

std::string floatBytes(const std::vector<float>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

}  // namespace

class TestPthCheckpoint : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  fs::path tempPath(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

  fs::path writeTemp(const std::string& name, const std::string& bytes) const {
    writeFileAtomically(tempPath(name), bytes);
    return tempPath(name);
  }

  // Reads `path` expecting an Error whose message names the file and contains `fragment`.
  void expectReadError(const fs::path& path, const std::string& fragment) const {
    try {
      readPth(path);
    } catch (const Error& e) {
      const std::string what = e.what();
      QVERIFY2(what.find(path.string()) != std::string::npos, what.c_str());
      QVERIFY2(what.find(fragment) != std::string::npos, what.c_str());
      return;
    }
    QFAIL(("no Error for " + path.string()).c_str());
  }

  void expectPickleError(const std::string& name, const std::string& pickle, const std::string& fragment,
                         const std::map<std::string, std::string>& storages = {}) const {
    std::map<std::string, std::string> records = storages;
    records["data.pkl"] = pickle;
    expectReadError(writeTemp(name, makeArchive(records)), fragment);
  }

 private slots:
  void detectronCheckpointMatchesManifest() {
    const PickleValue checkpoint = readPth(kCase / "model.pth");
    QVERIFY(checkpoint.isDict());
    QCOMPARE(checkpoint.find("iteration")->toInt(), int64_t{0});
    const PickleValue* model = checkpoint.find("model");
    QVERIFY(model != nullptr);
    QCOMPARE(QString::fromStdString(model->dict().class_name), QString("collections.OrderedDict"));
    // detectron2 state dicts carry the module versions in the OrderedDict's `_metadata` attribute.
    QCOMPARE(model->dict().attributes.size(), size_t{1});
    QCOMPARE(QString::fromStdString(model->dict().attributes[0].first), QString("_metadata"));

    const NamedTensors state = stateDictFromCheckpoint(checkpoint);
    const auto manifest = readTsv(kCase / "manifest.tsv");
    QCOMPARE(manifest.size(), size_t{558});
    QCOMPARE(state.size(), manifest.size());
    for (size_t i = 0; i < state.size(); ++i) {
      QCOMPARE(QString::fromStdString(state[i].first), QString::fromStdString(manifest[i][0]));
      QCOMPARE(QString::fromStdString(shapeText(state[i].second)), QString::fromStdString(manifest[i][1]));
      QCOMPARE(QString::fromStdString(dtypeText(state[i].second)), QString::fromStdString(manifest[i][2]));
      QVERIFY(state[i].second.is_contiguous());
      QVERIFY(torch::isfinite(state[i].second).all().item<bool>());
    }
    QCOMPARE(state.back().first, std::string("criterion.empty_weight"));
    QVERIFY(torch::equal(state.back().second, torch::tensor({1.0f, 0.1f})));
    // The fixture's FrozenBN running variances were drawn from U(0.5, 1.5).
    const torch::Tensor var = state[4].second;
    QCOMPARE(state[4].first, std::string("backbone.stem.conv1.norm.running_var"));
    QVERIFY(var.min().item<float>() >= 0.5f && var.max().item<float>() <= 1.5f);
  }

  // A plain-dict checkpoint is readable by LibTorch's unpickler too: both must agree bit for bit.
  void plainDictCheckpointMatchesLibTorch() {
    const fs::path path = kCase / "quality" / "maskiou_head_plain.pt";
    const NamedTensors state = readPthStateDict(path);
    const c10::Dict<c10::IValue, c10::IValue> reference = torch::pickle_load(fileBytes(path)).toGenericDict();
    const auto model = reference.at("model").toGenericDict();
    const auto manifest = readTsv(kCase / "quality" / "maskiou_head_manifest.tsv");
    QCOMPARE(state.size(), size_t{14});
    QCOMPARE(state.size(), manifest.size());
    QCOMPARE(static_cast<size_t>(model.size()), state.size());
    size_t i = 0;
    for (const auto& entry : model) {
      QCOMPARE(state[i].first, entry.key().toStringRef());
      QCOMPARE(state[i].first, manifest[i][0]);
      QCOMPARE(shapeText(state[i].second), manifest[i][1]);
      QVERIFY(sameTensor(state[i].second, entry.value().toTensor()));
      ++i;
    }
    QCOMPARE(readPth(path).find("iteration")->toInt(), reference.at("iteration").toInt());
  }

  void singleTensorFilesMatchLibTorchAndChecksums() {
    const auto rows = readTsv(kCase / "tensors.tsv");
    QVERIFY(rows.size() >= 60);
    for (const auto& row : rows) {
      const fs::path path = kCase / "tensors" / (row[0] + ".pt");
      const PickleValue value = readPth(path);
      QVERIFY2(value.isTensor(), row[0].c_str());
      const torch::Tensor mine = value.toTensor();
      QVERIFY2(sameTensor(mine, torch::pickle_load(fileBytes(path)).toTensor()), row[0].c_str());
      QCOMPARE(shapeText(mine), row[1]);
      QCOMPARE(dtypeText(mine), row[2]);
      const double sum = mine.to(torch::kDouble).sum().item<double>();
      const double abs_sum = mine.to(torch::kDouble).abs().sum().item<double>();
      const double tolerance = 1e-9 * std::max(1.0, std::stod(row[4]));
      QVERIFY2(std::abs(sum - std::stod(row[3])) <= tolerance, row[0].c_str());
      QVERIFY2(std::abs(abs_sum - std::stod(row[4])) <= tolerance, row[0].c_str());
    }
  }

  void savePthRoundTrips() {
    NamedTensors state = {
        {"a.float", torch::randn({3, 4, 5})},
        {"b.transposed", torch::randn({4, 6}).t()},  // non-contiguous input is stored contiguous
        {"c.double", torch::randn({7}, torch::kDouble)},
        {"d.half", torch::randn({2, 3}).to(torch::kHalf)},
        {"e.bfloat16", torch::randn({5}).to(torch::kBFloat16)},
        {"f.long", torch::arange(-3, 1000000, 99999, torch::kLong)},
        {"g.int", torch::tensor({-7, 0, 70000}, torch::kInt)},
        {"h.short", torch::tensor({-300, 2}, torch::kShort)},
        {"i.char", torch::tensor({-5, 5}, torch::kChar)},
        {"j.byte", torch::tensor({0, 255}, torch::kByte)},
        {"k.bool", torch::tensor({true, false, true})},
        {"l.scalar", torch::tensor(3.5f)},
        {"m.empty", torch::zeros({0, 3})},
        {"n.five_dims", torch::randn({1, 2, 3, 2, 1})},
    };
    const int64_t iteration = 5000000000LL;  // needs LONG1
    const fs::path path = tempPath("round_trip.pth");
    savePth(path, state, iteration);

    const PickleValue checkpoint = readPth(path);
    QCOMPARE(checkpoint.find("iteration")->toInt(), iteration);
    const NamedTensors back = stateDictFromCheckpoint(checkpoint);
    QCOMPARE(back.size(), state.size());
    for (size_t i = 0; i < state.size(); ++i) {
      QCOMPARE(back[i].first, state[i].first);
      QVERIFY2(sameTensor(back[i].second, state[i].second), state[i].first.c_str());
    }

    // LibTorch's unpickler follows Python's torch.load closely; it must accept the file as well.
    const auto reference = torch::pickle_load(fileBytes(path)).toGenericDict();
    QCOMPARE(reference.at("iteration").toInt(), iteration);
    const auto model = reference.at("model").toGenericDict();
    size_t i = 0;
    for (const auto& entry : model) {
      QCOMPARE(entry.key().toStringRef(), state[i].first);
      QVERIFY2(sameTensor(entry.value().toTensor(), state[i].second), state[i].first.c_str());
      ++i;
    }
    QCOMPARE(i, state.size());

    // torch.save's layout: data.pkl, one record per storage, version.
    caffe2::serialize::PyTorchStreamReader reader(path.string());
    QVERIFY(reader.hasRecord("data.pkl"));
    QVERIFY(reader.hasRecord("version"));
    QVERIFY(reader.hasRecord("data/13"));
    QVERIFY(!reader.hasRecord("data/14"));
  }

  void fixtureRoundTripsThroughWriter() {
    const NamedTensors original = readPthStateDict(kCase / "model.pth");
    // Enough entries to need several SETITEMS batches.
    NamedTensors many = original;
    for (int i = 0; i < 2500; ++i)
      many.emplace_back("extra." + std::to_string(i), torch::full({2}, float(i)));
    const fs::path path = tempPath("model_copy.pth");
    savePth(path, many, 123456);
    const NamedTensors back = readPthStateDict(path);
    QCOMPARE(back.size(), many.size());
    for (size_t i = 0; i < many.size(); ++i) {
      QCOMPARE(back[i].first, many[i].first);
      QVERIFY(sameTensor(back[i].second, many[i].second));
    }
    QCOMPARE(static_cast<size_t>(
                 torch::pickle_load(fileBytes(path)).toGenericDict().at("model").toGenericDict().size()),
             many.size());
  }

  void writerRejectsBadInput() {
    const fs::path path = tempPath("bad.pth");
    QVERIFY_THROWS_EXCEPTION(Error, savePth(path, {{"x", torch::ones({2})}, {"x", torch::ones({2})}}));
    QVERIFY_THROWS_EXCEPTION(Error, savePth(path, {{"c", torch::ones({2}, torch::kComplexFloat)}}));
    QVERIFY_THROWS_EXCEPTION(Error, savePth(path, {{"u", torch::Tensor()}}));
    QVERIFY(!fs::exists(path));
  }

  void stateDictLayouts() {
    const std::string storage = floatBytes({1, 2});
    // A bare state dict (torch.save(model.state_dict())) is its own state dict.
    const fs::path bare = writeTemp(
        "bare.pth", makeArchive({{"data.pkl", "\x80\x02}(" + str("w") + tensorExpr(2, 0, {2}, {1}) + "u."},
                                 {"data/0", storage}}));
    const NamedTensors state = readPthStateDict(bare);
    QCOMPARE(state.size(), size_t{1});
    QCOMPARE(state[0].first, std::string("w"));
    QVERIFY(sameTensor(state[0].second, torch::tensor({1.0f, 2.0f})));

    auto expectStateDictError = [&](const std::string& name, const std::string& pickle,
                                    const std::string& fragment) {
      const fs::path path = writeTemp(name, makeArchive({{"data.pkl", pickle}, {"data/0", storage}}));
      try {
        readPthStateDict(path);
      } catch (const Error& e) {
        const std::string what = e.what();
        QVERIFY2(what.find(path.string()) != std::string::npos, what.c_str());
        QVERIFY2(what.find(fragment) != std::string::npos, what.c_str());
        return;
      }
      QFAIL(("no Error for " + name).c_str());
    };
    expectStateDictError("optimizer_only.pth",
                         "\x80\x02}(" + str("optimizer") + "]" + str("step") + "K\x05u.",
                         "top-level keys: optimizer, step");
    expectStateDictError(
        "model_not_tensor.pth",
        "\x80\x02}(" + str("model") + "}(" + str("w") + tensorExpr(2, 0, {2}, {1}) + str("v") + "K\x01uu.",
        "'v'");
    expectStateDictError("tensor_only.pth", tensorPickle(2, 0, {2}, {1}), "holds a tensor");
  }

  void stridedTensorsAreRebuilt() {
    // A (2, 3) view with stride (1, 2) at offset 1 of a 12-element storage, as a slice or transpose saves.
    std::vector<float> storage(12);
    for (int i = 0; i < 12; ++i) storage[i] = float(i);
    const fs::path path = writeTemp(
        "strided.pth",
        makeArchive({{"data.pkl", tensorPickle(12, 1, {2, 3}, {1, 2})}, {"data/0", floatBytes(storage)}}));
    const torch::Tensor t = readPth(path).toTensor();
    const torch::Tensor expected = torch::tensor(storage).as_strided({2, 3}, {1, 2}, 1);
    QVERIFY(t.is_contiguous());
    QVERIFY(sameTensor(t, expected));
  }

  void brokenArchivesNameTheFile() {
    const std::string model = readFile(kCase / "model.pth");
    expectReadError(writeTemp("half.pth", model.substr(0, model.size() / 2)), "archive");
    expectReadError(writeTemp("hundred.pth", model.substr(0, 100)), "archive");
    expectReadError(writeTemp("empty.pth", ""), "archive");
    std::string garbage(4096, '\0');
    for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 2654435761u) >> 13);
    expectReadError(writeTemp("garbage.pth", garbage), "archive");
    expectReadError(writeTemp("garbage_pk.pth", "PK" + garbage), "archive");
    expectReadError(writeTemp("legacy.pth", "\x80\x02\x8a\x0a" + garbage), "legacy");
    expectReadError(tempPath("missing.pth"), "not found");
    expectReadError(fs::path(dir_.path().toStdString()), "regular file");
    expectReadError(writeTemp("no_pickle.pth", makeArchive({{"data/0", floatBytes({1})}})), "data.pkl");
  }

  void storageProblemsNameTheFile() {
    expectPickleError("no_storage.pth", tensorPickle(4, 0, {4}, {1}), "data/0");
    expectPickleError("small_storage.pth", tensorPickle(4, 0, {4}, {1}), "declares 4 elements",
                      {{"data/0", floatBytes({1, 2, 3})}});
    expectPickleError("overrun.pth", tensorPickle(4, 2, {2, 2}, {2, 1}), "addresses element",
                      {{"data/0", floatBytes({1, 2, 3, 4})}});
    expectPickleError("huge_stride.pth", tensorPickle(4, 0, {2, 2}, {0x7fffffff, 0x7fffffff}), "addresses",
                      {{"data/0", floatBytes({1, 2, 3, 4})}});
    expectPickleError("negative_size.pth", tensorPickle(4, 0, {-2}, {1}), "negative",
                      {{"data/0", floatBytes({1, 2, 3, 4})}});
    expectPickleError("bad_bool.pth", tensorPickle(2, 0, {2}, {1}, "BoolStorage"), "bool",
                      {{"data/0", std::string("\x01\x07", 2)}});
    expectPickleError("complex.pth", tensorPickle(2, 0, {2}, {1}, "ComplexFloatStorage"),
                      "torch.ComplexFloatStorage", {{"data/0", floatBytes({1, 2, 3, 4})}});
    // A real single-tensor file with its storage record cut short.
    auto records = archiveRecords(kCase / "tensors" / "pred_logits.pt");
    QVERIFY(records.count("data/0") == 1);
    records["data/0"].resize(records["data/0"].size() - 4);
    expectReadError(writeTemp("cut_storage.pth", makeArchive(records)), "storage record holds");
  }

  void hostilePicklesAreRefused() {
    // Nothing may be imported: the classic os.system payload is refused by name, before any call.
    expectPickleError("os_system.pth",
                      bin("\x80\x02"
                          "cos\nsystem\nq\x00") +
                          str("touch /tmp/pwned") + "\x85R.",
                      "'os.system'");
    expectPickleError("builtins_eval.pth",
                      bin("\x80\x02\x8c\x08"
                          "builtins\x8c\x04"
                          "eval\x93."),
                      "'builtins.eval'");
    expectPickleError("call_storage.pth",
                      bin("\x80\x02"
                          "ctorch\nFloatStorage\n)R."),
                      "cannot be called");
    expectPickleError("bad_opcode.pth", bin("\x80\x02\xff."), "unknown pickle opcode");
    expectPickleError("newobj.pth",
                      bin("\x80\x02"
                          "ccollections\nOrderedDict\n)\x81."),
                      "NEWOBJ");
    expectPickleError("underflow.pth", bin("\x80\x02s."), "underflow");
    expectPickleError("underflow_mark.pth", bin("\x80\x02}(s."), "underflow");
    expectPickleError("no_mark.pth", bin("\x80\x02t."), "MARK");
    expectPickleError("huge_string.pth", bin("\x80\x02X\xff\xff\xff\x7f"), "exceeds");
    expectPickleError("huge_bytes8.pth", bin("\x80\x02\x8e\xff\xff\xff\xff\xff\xff\xff\xff"), "exceeds");
    expectPickleError("huge_long.pth", bin("\x80\x02\x8b\x00\x00\x00\x01"), "64 bits");
    expectPickleError("no_stop.pth", bin("\x80\x02}"), "no STOP");
    expectPickleError("empty_pickle.pth", "", "no STOP");
    expectPickleError("memo.pth", bin("\x80\x02h\x05."), "memo");
    expectPickleError("recursive.pth", bin("\x80\x02]q\x00h\x00a."), "recursive");
    expectPickleError("deep.pth", "\x80\x02" + std::string(1000, ']') + std::string(999, 'a') + ".",
                      "deeper");
    expectPickleError("build_list.pth", bin("\x80\x02]}b."), "BUILD");
    expectPickleError("persid.pth", "\x80\x02" + str("x") + "Q.", "persistent id");
  }
};

QTEST_APPLESS_MAIN(TestPthCheckpoint)
#include "test_pth_checkpoint.moc"
