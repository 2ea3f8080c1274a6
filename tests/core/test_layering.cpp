// The layering rule of architecture.md: a folder may include only folders on its own level or below,
// in the order util < config < {dataset, video, checkpoint, export} < {toyworld, data, model} <
// {infer, train, eval} < selftrain < {experiments, widgets} < app, and nothing under core/ includes Qt. Every
// project #include of core/, widgets/ and app/ is read; a violation names the file and the line.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Layer of a path relative to the repository root ("core/train/trainer.h" -> 4), or -1 when the path
// is outside the layered folders.
int layerOf(const std::string& path) {
  static const std::map<std::string, int> core_layers = {
      {"util", 0},  {"config", 1}, {"dataset", 2}, {"video", 2}, {"checkpoint", 2}, {"export", 2},
      {"toyworld", 3}, {"data", 3}, {"model", 3},  {"infer", 4}, {"train", 4},      {"eval", 4},
      {"selftrain", 5}, {"experiments", 6}};
  if (path.rfind("widgets/", 0) == 0) return 6;
  if (path.rfind("app/", 0) == 0) return 7;
  if (path.rfind("core/", 0) != 0) return -1;
  const std::string folder = path.substr(5, path.find('/', 5) - 5);
  auto it = core_layers.find(folder);
  return it == core_layers.end() ? 99 : it->second;  // an undeclared core folder is itself a violation
}

std::vector<std::string> violationsIn(const fs::path& root) {
  static const std::regex project_include(R"re(^\s*#\s*include\s*"([^"]+)")re");
  static const std::regex qt_include(R"re(^\s*#\s*include\s*<(Q[A-Za-z]*|qt[a-z]*)[/>])re");
  std::vector<std::string> problems;
  for (const char* top : {"core", "widgets", "app"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp" && ext != ".in")) continue;
      const std::string file = fs::relative(entry.path(), root).generic_string();
      const int layer = layerOf(file);
      if (layer == 99) problems.push_back(file + ": folder not in the declared layer order");
      std::ifstream in(entry.path());
      std::string line;
      for (int number = 1; std::getline(in, line); ++number) {
        std::smatch match;
        const std::string where = file + ":" + std::to_string(number) + ": ";
        if (layer <= 5 && std::regex_search(line, match, qt_include)) {
          problems.push_back(where + "core includes Qt <" + match[1].str() + ">");
        }
        if (!std::regex_search(line, match, project_include)) continue;
        const std::string included = match[1].str();
        const int included_layer = layerOf(included);
        if (included_layer > layer) {
          problems.push_back(where + "includes \"" + included + "\", which stands above it");
        }
      }
    }
  }
  return problems;
}

void writeFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

}  // namespace

class TestLayering : public QObject {
  Q_OBJECT

 private slots:
  void theRuleCatchesUpwardIncludesAndQtInCore() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeFile(root / "core/dataset/a.h", "#include \"core/util/error.h\"\n#include \"core/train/trainer.h\"\n");
    writeFile(root / "core/eval/b.cpp", "#include <QString>\n#include \"core/dataset/a.h\"\n");
    writeFile(root / "widgets/c.h", "#include <QWidget>\n#include \"app/gui/main_window.h\"\n");
    const auto problems = violationsIn(root);
    QCOMPARE(int(problems.size()), 3);
    QCOMPARE(problems.size(), size_t(3));
    bool upward = false, qt = false, widgets = false;
    for (const auto& p : problems) {
      upward |= p.rfind("core/dataset/a.h:2: includes \"core/train/trainer.h\"", 0) == 0;
      qt |= p.rfind("core/eval/b.cpp:1: core includes Qt <QString>", 0) == 0;
      widgets |= p.rfind("widgets/c.h:2: includes \"app/gui/main_window.h\"", 0) == 0;
    }
    QVERIFY(upward && qt && widgets);
  }

  void theProjectFollowsTheLayerOrder() {
    const auto problems = violationsIn(AUTOQVIS_SOURCE_DIR);
    QString text;
    for (const auto& p : problems) text += QString::fromStdString(p) + "\n";
    QVERIFY2(problems.empty(), qPrintable(text));
  }
};

QTEST_GUILESS_MAIN(TestLayering)
#include "test_layering.moc"
