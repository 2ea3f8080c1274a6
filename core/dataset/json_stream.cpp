#include "core/dataset/json_stream.h"

#include "core/util/error.h"

namespace autoqvis::json_stream {
namespace {

// A DOM builder in the manner of nlohmann's own SAX DOM parser, with one twist: direct children of
// the target array are delivered and removed as soon as they are complete.
class StreamingBuilder : public nlohmann::json_sax<json> {
 public:
  StreamingBuilder(std::string source, Target target, const ElementCallback& on_element)
      : source_(std::move(source)), target_(std::move(target)), on_element_(on_element) {}

  json& document() { return root_; }

  bool null() override { return scalar(nullptr); }
  bool boolean(bool value) override { return scalar(value); }
  bool number_integer(number_integer_t value) override { return scalar(value); }
  bool number_unsigned(number_unsigned_t value) override { return scalar(value); }
  bool number_float(number_float_t value, const string_t&) override { return scalar(value); }
  bool string(string_t& value) override { return scalar(std::move(value)); }
  bool binary(binary_t& value) override { return scalar(json::binary(std::move(value))); }

  bool start_object(std::size_t) override {
    stack_.push_back(place(json::value_t::object));
    return true;
  }
  bool key(string_t& name) override {
    slot_ = &(*stack_.back())[name];
    last_key_ = name;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return finished();
  }
  bool start_array(std::size_t) override {
    const bool is_target = target_.root_array ? stack_.empty()
                                              : stack_.size() == 1 && stack_.back()->is_object() && last_key_ == target_.key;
    json* array = place(json::value_t::array);
    if (is_target) streamed_ = array;
    stack_.push_back(array);
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return finished();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) override {
    throw Error("malformed JSON at byte " + std::to_string(position) + ": " + error.what(), inFile(source_));
  }

 private:
  template <class Value>
  bool scalar(Value&& value) {
    place(std::forward<Value>(value));
    return finished();
  }

  // Puts a new value where the parser is: the root, the end of the open array, or the last key.
  template <class Value>
  json* place(Value&& value) {
    if (stack_.empty()) {
      root_ = json(std::forward<Value>(value));
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.emplace_back(std::forward<Value>(value));
      return &parent.back();
    }
    *slot_ = json(std::forward<Value>(value));
    return slot_;
  }

  // A value just completed; if it is a direct child of the streamed array, hand it over and drop it.
  bool finished() {
    if (streamed_ && !stack_.empty() && stack_.back() == streamed_ && !streamed_->empty()) {
      on_element_(streamed_->back(), delivered_++);
      streamed_->erase(streamed_->size() - 1);
    }
    return true;
  }

  std::string source_;
  Target target_;
  const ElementCallback& on_element_;
  json root_;
  std::vector<json*> stack_;
  json* slot_ = nullptr;
  json* streamed_ = nullptr;
  std::string last_key_;
  size_t delivered_ = 0;
};

template <class Input>
json parseWith(Input&& input, const std::string& source, const Target& target, const ElementCallback& on_element) {
  StreamingBuilder builder(source, target, on_element);
  json::sax_parse(std::forward<Input>(input), &builder);
  return std::move(builder.document());
}

}  // namespace

json parseStreaming(std::istream& input, const std::string& source, const Target& target,
                    const ElementCallback& on_element) {
  return parseWith(input, source, target, on_element);
}

json parseStreaming(const std::string& text, const std::string& source, const Target& target,
                    const ElementCallback& on_element) {
  return parseWith(text, source, target, on_element);
}

}  // namespace autoqvis::json_stream
