package org.lossagg.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lossagg.losses.KerasVersion;
import org.lossagg.losses.Loss;
import org.lossagg.losses.LossCatalog;
import org.lossagg.losses.LossOptions;
import org.lossagg.losses.LossSpec;
import org.lossagg.numerics.DType;

/**
 * Reads and writes Keras loss configurations as JSON, for the losses of {@link LossCatalog} only:
 * nothing is ever loaded or instantiated by class name.
 *
 * <p>Accepted inputs ({@link #fromJson(String)} / {@link #fromConfig(Map)}):
 * <ul>
 *   <li>an identifier, as JSON string or plain text: {@code binary_crossentropy},
 *       {@code "BinaryCrossentropy"}, {@code bce} (anything {@link LossCatalog#find} knows), giving
 *       the loss with its defaults, as {@code keras.losses.get} does;
 *   <li>{@code {"class_name": "BinaryCrossentropy", "config": {"from_logits": true}}}, the form
 *       {@code keras.losses.get} takes and tf.keras 2.x's legacy serialization writes;
 *   <li>the output of Keras 3 {@code keras.losses.serialize(loss)}:
 *       {@code {"module": "keras.losses", "class_name": ..., "config": {...}, "registered_name": null}},
 *       also with {@code build_config}/{@code compile_config} null, and the serialized function form
 *       {@code {"module": "builtins", "class_name": "function", "config": "binary_crossentropy", ...}};
 *   <li>with an explicit class ({@link #fromJson(String, String)}, {@link #fromConfig(String, Map)}):
 *       a bare {@code get_config()} dict such as {@code {"from_logits": true, "axis": -1}}.
 * </ul>
 *
 * <p>Inside a config: {@code name}; {@code reduction} (any Keras 3 value, null meaning none, and
 * tf.keras 2.x's {@code "auto"}); {@code dtype} as {@code "float32"}, {@code "float64"}, null (=
 * float32) or a serialized {@code DTypePolicy} of those (float16, bfloat16 and mixed policies are
 * rejected); tf.keras 2.13–2.15's {@code "fn"} entry when it names the same loss; and the loss' own
 * options. Unknown keys, wrong types and out-of-range values are {@link IllegalArgumentException}s
 * naming the loss, the key, the value and what is allowed. A serialized {@code registered_name} of a
 * custom object ({@code "MyPackage>MyLoss"}) or a non-Keras {@code module} is rejected.
 *
 * <p>Beside {@code class_name}, lossagg reads its own key {@code "keras_version"} ({@code "2.9"},
 * {@code "3.15"}, {@code "3.16"}; see {@link KerasVersion}): which Keras the loss reproduces.
 *
 * <p>Writing: {@link #toJson} gives {@code json.dumps(loss.get_config())} and {@link #serialize}
 * {@code json.dumps(keras.losses.serialize(loss))}, byte for byte as the loss' Keras 3 version writes
 * them (3.15.x leaves some keys out: {@link LossSpec#writesInConfig}). As in Keras, {@code dtype} and
 * the Keras version are not part of them (a round trip restores float32 and the default version);
 * {@link #serializeExactly} writes both, and every option. Reduction none is written as null.
 */
public final class KerasLossConfig {
  /** The module Keras 3 writes for every built-in loss class ({@code keras.losses.X} is its public name). */
  public static final String KERAS_MODULE = "keras.losses";

  private static final ObjectMapper JSON = JsonMapper.builder()
      // Python's json.dumps writes NaN and Infinity for non-finite floats.
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** lossagg's key beside class_name and config: which Keras the loss reproduces ({@link KerasVersion}). */
  public static final String KERAS_VERSION_KEY = "keras_version";

  private static final List<String> WRAPPER_KEYS = List.of(
      "module", "class_name", "config", "registered_name", "build_config", "compile_config", "shared_object_id",
      KERAS_VERSION_KEY);

  /** Top-level Python packages under which Keras (3, tf.keras 2.x, tf_keras, Keras Core) lives. */
  private static final Set<String> KERAS_PACKAGES = Set.of("keras", "tf", "tensorflow", "tf_keras", "keras_core");

  /** Serialized dtype policy classes that carry a plain dtype name. */
  private static final Set<String> DTYPE_POLICY_CLASSES = Set.of("DTypePolicy", "FloatDTypePolicy", "Policy");

  private KerasLossConfig() {}

  /** The loss an identifier or a serialized config (see the class comment) describes. */
  public static Loss fromJson(String json) {
    return optionsFromJson(json).create();
  }

  /** The loss of class {@code className} (or function name / alias) with a bare config object. */
  public static Loss fromJson(String className, String configJson) {
    return optionsFromJson(className, configJson).create();
  }

  /** The loss a parsed serialized config ({@code class_name} and {@code config} ...) describes. */
  public static Loss fromConfig(Map<String, ?> serialized) {
    return optionsFromConfig(serialized).create();
  }

  /** The loss of class {@code className} (or function name / alias) with a bare config map. */
  public static Loss fromConfig(String className, Map<String, ?> config) {
    return optionsFromConfig(className, config).create();
  }

  /** Like {@link #fromJson(String)}, but the validated options, to adjust (e.g. keras2) before creating. */
  public static LossOptions optionsFromJson(String json) {
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("loss config: got " + (json == null ? "null" : "an empty string")
          + "; expected a loss identifier such as 'binary_crossentropy' or a JSON config object");
    }
    String t = json.strip();
    char c = t.charAt(0);
    if (c != '{' && c != '"' && c != '[') {
      return identifier(t).newOptions().build();
    }
    Object parsed = parse(t);
    if (parsed instanceof String) {
      return identifier((String) parsed).newOptions().build();
    }
    if (parsed instanceof Map<?, ?>) {
      return optionsFromConfig(stringKeys(parsed));
    }
    throw new IllegalArgumentException("loss config: got a JSON " + jsonType(parsed)
        + "; expected a loss identifier string or a config object");
  }

  /** Like {@link #fromJson(String, String)}, but the validated options. */
  public static LossOptions optionsFromJson(String className, String configJson) {
    LossSpec spec = identifier(className);
    if (configJson == null || configJson.isBlank()) {
      return spec.newOptions().build();
    }
    Object parsed = parse(configJson.strip());
    if (parsed == null) {
      return spec.newOptions().build();
    }
    if (!(parsed instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(spec.className() + ": config must be a JSON object, got a JSON "
          + jsonType(parsed) + " (" + configJson.strip() + ")");
    }
    return optionsFromConfig(className, stringKeys(parsed));
  }

  /** Like {@link #fromConfig(Map)}, but the validated options. */
  public static LossOptions optionsFromConfig(Map<String, ?> serialized) {
    if (serialized == null) {
      throw new IllegalArgumentException("loss config: got null; expected a map with 'class_name' and 'config'");
    }
    if (!serialized.containsKey("class_name")) {
      throw new IllegalArgumentException("loss config: a config object needs 'class_name' (the "
          + "{\"class_name\": ..., \"config\": {...}} form or keras.losses.serialize() output); got keys "
          + serialized.keySet() + ". For a bare get_config() dict, pass the class: fromConfig(className, config)");
    }
    for (String key : serialized.keySet()) {
      if (!WRAPPER_KEYS.contains(key)) {
        throw new IllegalArgumentException("loss config: unknown key '" + key + "' next to class_name "
            + serialized.get("class_name") + suggestion(key, WRAPPER_KEYS) + "; allowed: "
            + String.join(", ", WRAPPER_KEYS) + " (the loss options go inside 'config')");
      }
    }
    Object cn = serialized.get("class_name");
    if (!(cn instanceof String)) {
      throw new IllegalArgumentException("loss config: 'class_name' got " + show(cn) + "; expected a string such as 'BinaryCrossentropy'");
    }
    String className = (String) cn;
    Object inner = serialized.get("config");
    rejectCustomRegistration(serialized.get("registered_name"), className);
    checkModule(serialized.get("module"), className);

    if (className.equals("function")) {
      // keras.losses.serialize(keras.losses.binary_crossentropy): the functional form, default options.
      if (!(inner instanceof String)) {
        throw new IllegalArgumentException("loss config: a serialized function needs 'config' to be the function name"
            + " (e.g. \"binary_crossentropy\"), got " + show(inner));
      }
      LossSpec spec = identifier((String) inner);
      checkRegisteredName(serialized.get("registered_name"), spec, "function", (String) inner);
      return withVersion(spec.newOptions(), serialized).build();
    }

    LossSpec spec = identifier(className);
    checkRegisteredName(serialized.get("registered_name"), spec, className, className);
    for (String key : List.of("build_config", "compile_config")) {
      Object v = serialized.get(key);
      if (v != null && !(v instanceof Map<?, ?> && ((Map<?, ?>) v).isEmpty())) {
        throw new IllegalArgumentException(spec.className() + ": '" + key + "' got " + show(v)
            + "; a loss has none, expected null or absent");
      }
    }
    if (inner != null && !(inner instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(spec.className() + ": 'config' got " + show(inner)
          + "; expected an object of options (" + spec.allowedKeys() + ") or null");
    }
    return apply(spec, inner == null ? Map.of() : stringKeys(inner), serialized);
  }

  /** Like {@link #fromConfig(String, Map)}, but the validated options. */
  public static LossOptions optionsFromConfig(String className, Map<String, ?> config) {
    LossSpec spec = identifier(className);
    if (config == null) {
      return spec.newOptions().build();
    }
    if (config.containsKey("class_name")) {
      LossOptions o = optionsFromConfig(config);
      if (o.spec() != spec) {
        throw new IllegalArgumentException(spec.className() + ": the config names class_name "
            + show(config.get("class_name")) + ", which is " + o.spec().className());
      }
      return o;
    }
    return apply(spec, config);
  }

  /**
   * Keras' {@code get_config()} of the loss with JSON-ready values (axis tuples and arrays as lists),
   * as the loss' Keras version writes it: Keras 3.15.x (the default) leaves out the keys its
   * {@code get_config} does not write ({@link LossSpec#writesInConfig}), so a round trip through it
   * restores their defaults, as it does in Keras.
   */
  public static Map<String, Object> getConfig(Loss loss) {
    Map<String, Object> c = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : loss.getConfig().entrySet()) {
      if (loss.spec().writesInConfig(e.getKey(), loss.kerasVersion())) {
        c.put(e.getKey(), jsonReady(e.getValue()));
      }
    }
    return c;
  }

  /** {@code json.dumps(loss.get_config())} as Keras 3 writes it. */
  public static String toJson(Loss loss) {
    return PythonJson.dumps(getConfig(loss));
  }

  /**
   * Keras 3 {@code keras.losses.serialize(loss)}: {@code module}, {@code class_name}, {@code config},
   * {@code registered_name} (null for built-ins), in that order. A loss has no build or compile config,
   * so those keys are absent, as in Keras.
   */
  public static Map<String, Object> serializeToMap(Loss loss) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", KERAS_MODULE);
    m.put("class_name", loss.spec().className());
    m.put("config", getConfig(loss));
    m.put("registered_name", null);
    return m;
  }

  /** {@code json.dumps(keras.losses.serialize(loss))} as Keras 3 writes it. */
  public static String serialize(Loss loss) {
    return PythonJson.dumps(serializeToMap(loss));
  }

  /** Every option of the loss (also those a Keras release leaves out), JSON-ready, with its dtype. */
  static Map<String, Object> exactConfig(Loss loss) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : loss.getConfig().entrySet()) {
      config.put(e.getKey(), jsonReady(e.getValue()));
    }
    config.put("dtype", loss.dtype().kerasName());
    return config;
  }

  /**
   * lossagg's exact form of a loss, which {@link #fromJson(String)} rebuilds to the same loss: Keras'
   * serialization with every option (also those a Keras release leaves out of its config), the
   * {@code dtype} inside {@code config} and the {@code keras_version} beside it. Spark carries losses
   * to executors, and states name their loss, in this form.
   */
  public static String serializeExactly(Loss loss) {
    Map<String, Object> config = exactConfig(loss);
    Map<String, Object> m = serializeToMap(loss);
    m.put("config", config);
    m.put(KERAS_VERSION_KEY, loss.kerasVersion().toString());
    return PythonJson.dumps(m);
  }

  /**
   * {@code config} (an identifier or any JSON form {@link #fromJson(String)} reads) with
   * {@code keras_version} set to {@code version} unless the config names its own: how a session's
   * default Keras version applies to a config. Returns {@code config} unchanged when it has a
   * {@code keras_version}; an identifier becomes {@code {"class_name": ..., "keras_version": ...}}.
   */
  public static String withDefaultVersion(String config, KerasVersion version) {
    LossOptions checked = optionsFromJson(config);
    String t = config.strip();
    Object parsed = t.startsWith("{") || t.startsWith("\"") ? parse(t) : t;
    Map<String, Object> m = new LinkedHashMap<>();
    if (parsed instanceof Map<?, ?>) {
      if (((Map<?, ?>) parsed).containsKey(KERAS_VERSION_KEY)) {
        return config;
      }
      m.putAll(stringKeys(parsed));
    } else {
      m.put("class_name", parsed);
    }
    m.put(KERAS_VERSION_KEY, version.toString());
    String json = PythonJson.dumps(m);
    checked.toBuilder().kerasVersion(version).build(); // a loss that version lacks: the version's error
    return json;
  }

  /**
   * A loss as a saved model's {@code compile_config} holds it (a serialized loss, or a function name)
   * with {@code keras_version} beside its class unless it names one (a function name becomes
   * {@code {"class_name": name}}), as compact JSON; not checked here: reading it says what is wrong.
   */
  public static String withVersionKey(JsonNode loss, String version) {
    if (loss.isObject() && loss.has(KERAS_VERSION_KEY)) {
      return loss.toString();
    }
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (loss.isTextual()) {
      n.put("class_name", loss.asText());
    } else if (loss.isObject()) {
      n.setAll((ObjectNode) loss);
    } else {
      return loss.toString();
    }
    n.put(KERAS_VERSION_KEY, version);
    return n.toString();
  }

  private static LossOptions.Builder withVersion(LossOptions.Builder b, Map<String, ?> serialized) {
    if (serialized.containsKey(KERAS_VERSION_KEY)) {
      b.set(KERAS_VERSION_KEY, serialized.get(KERAS_VERSION_KEY));
    }
    return b;
  }

  /** Validates a bare config for {@code spec}; package-private so tests can use non-catalogue specs. */
  static LossOptions apply(LossSpec spec, Map<String, ?> config) {
    return apply(spec, config, Map.of());
  }

  /** The options of a bare config, with the {@code keras_version} of the {@code serialized} wrapper around it. */
  private static LossOptions apply(LossSpec spec, Map<String, ?> config, Map<String, ?> serialized) {
    LossOptions.Builder b = withVersion(spec.newOptions(), serialized);
    for (Map.Entry<String, ?> e : config.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      switch (key) {
        case "name":
        case "reduction":
          b.set(key, value);
          break;
        case "dtype":
          b.dtype(dtype(spec, value));
          break;
        case "fn":
          checkFn(spec, value);
          break;
        case KERAS_VERSION_KEY:
          throw new IllegalArgumentException(spec.className() + ": 'keras_version' is not a Keras option, so it does not"
              + " go inside 'config'; put it beside class_name: {\"class_name\": \"" + spec.className()
              + "\", \"config\": {...}, \"keras_version\": " + show(value) + "}");
        default:
          if (!spec.hasOption(key)) {
            List<String> allowed = List.of(spec.allowedKeys().split(", "));
            throw new IllegalArgumentException(spec.className() + ": unknown config key '" + key + "'"
                + suggestion(key, allowed) + "; allowed keys: " + spec.allowedKeys());
          }
          b.set(key, unwrapTensor(value));
      }
    }
    return b.build();
  }

  /**
   * The dtype of a config: Keras passes it to the constructor, where None means floatx (float32) and
   * a DTypePolicy contributes its compute dtype.
   */
  static DType dtype(LossSpec spec, Object value) {
    if (value == null) {
      return DType.FLOAT32;
    }
    if (value instanceof DType) {
      return (DType) value;
    }
    if (value instanceof String) {
      return dtypeName(spec, (String) value, "'" + value + "'");
    }
    if (value instanceof Map<?, ?>) {
      Map<?, ?> policy = (Map<?, ?>) value;
      Object cls = policy.get("class_name");
      Object cfg = policy.get("config");
      if (DTYPE_POLICY_CLASSES.contains(cls) && cfg instanceof Map<?, ?>) {
        Object name = ((Map<?, ?>) cfg).get("name");
        if (name == null) {
          return DType.FLOAT32;
        }
        if (name instanceof String) {
          return dtypeName(spec, (String) name, cls + " '" + name + "'");
        }
      }
      throw new IllegalArgumentException(spec.className() + ": option 'dtype' got " + show(value)
          + "; " + (cls instanceof String && !DTYPE_POLICY_CLASSES.contains(cls)
              ? "the policy class '" + cls + "' is not supported; " : "")
          + "expected " + DTYPE_ALLOWED);
    }
    throw new IllegalArgumentException(spec.className() + ": option 'dtype' got " + show(value) + "; expected " + DTYPE_ALLOWED);
  }

  private static final String DTYPE_ALLOWED = "'float32' (the Keras default), 'float64', null (= float32)"
      + " or a serialized DTypePolicy {\"class_name\": \"DTypePolicy\", \"config\": {\"name\": ...}} with one of those names";

  private static DType dtypeName(LossSpec spec, String name, String shown) {
    String why;
    switch (name) {
      case "float32":
        return DType.FLOAT32;
      case "float64":
        return DType.FLOAT64;
      case "float16":
      case "bfloat16":
      case "half":
        why = " (" + name + " computation is not supported: lossagg computes in float32 or float64)";
        break;
      case "mixed_float16":
      case "mixed_bfloat16":
        why = " (a mixed-precision policy computing in " + name.substring("mixed_".length())
            + ", which lossagg does not support: it computes in float32 or float64)";
        break;
      default:
        why = " (not a float dtype lossagg knows)";
    }
    throw new IllegalArgumentException(spec.className() + ": option 'dtype' got " + shown + why + "; expected " + DTYPE_ALLOWED);
  }

  /** tf.keras 2.13–2.15 write the wrapped function's name as {@code "fn"}; accept it when it is this loss. */
  private static void checkFn(LossSpec spec, Object value) {
    String fn = null;
    if (value instanceof String) {
      fn = (String) value;
    } else if (value instanceof Map<?, ?> && "function".equals(((Map<?, ?>) value).get("class_name"))
        && ((Map<?, ?>) value).get("config") instanceof String) {
      fn = (String) ((Map<?, ?>) value).get("config");
    }
    if (fn == null) {
      throw new IllegalArgumentException(spec.className() + ": config key 'fn' got " + show(value)
          + "; expected the name of this loss' function, '" + spec.functionName() + "'");
    }
    LossSpec named = LossCatalog.find(fn).orElse(null);
    if (named != spec) {
      throw new IllegalArgumentException(spec.className() + ": config key 'fn' got '" + fn + "'"
          + (named == null ? ", an unknown function" : ", the function of " + named.className())
          + "; expected '" + spec.functionName() + "' (lossagg cannot wrap another function in this class)");
    }
  }

  private static void rejectCustomRegistration(Object registeredName, String className) {
    if (registeredName instanceof String && ((String) registeredName).contains(">")) {
      throw new IllegalArgumentException("loss config: registered_name '" + registeredName + "' (class_name "
          + className + ") names a custom object registered with keras.saving.register_keras_serializable;"
          + " lossagg builds only its built-in Keras losses and never loads classes by name. Known losses: "
          + LossCatalog.knownNames());
    }
  }

  private static void checkRegisteredName(Object registeredName, LossSpec spec, String className, String fnName) {
    if (registeredName == null) {
      return;
    }
    if (!(registeredName instanceof String)) {
      throw new IllegalArgumentException(spec.className() + ": 'registered_name' got " + show(registeredName)
          + "; expected null (a built-in Keras loss)");
    }
    String r = (String) registeredName;
    if (r.equals(className) || r.equals(fnName) || LossCatalog.find(r).orElse(null) == spec) {
      return;
    }
    throw new IllegalArgumentException(spec.className() + ": 'registered_name' got '" + r
        + "', which does not name " + spec.className() + "; expected null (a built-in Keras loss)");
  }

  private static void checkModule(Object module, String className) {
    if (module == null) {
      return;
    }
    if (module instanceof String) {
      String m = (String) module;
      String top = m.contains(".") ? m.substring(0, m.indexOf('.')) : m;
      if (KERAS_PACKAGES.contains(top) || (m.equals("builtins") && className.equals("function"))) {
        return;
      }
    }
    throw new IllegalArgumentException("loss config: module " + show(module) + " of class_name " + className
        + " is not a Keras module, so the object is a custom one; lossagg builds only its built-in Keras losses"
        + " (module 'keras.losses', or null). Known losses: " + LossCatalog.knownNames());
  }

  private static LossSpec identifier(String id) {
    if (id == null) {
      throw new IllegalArgumentException("loss config: the loss identifier is null; known losses: " + LossCatalog.knownNames());
    }
    return LossCatalog.find(id).orElseThrow(() -> new IllegalArgumentException("unknown loss '" + id
        + "'; known losses: " + LossCatalog.knownNames()
        + " (their Keras function names and aliases such as 'binary_crossentropy' or 'bce' work too)"));
  }

  /** A numpy array or tensor in a Keras config ({@code {"class_name": "__numpy__", ...}}) is its value list. */
  private static Object unwrapTensor(Object v) {
    if (v instanceof Map<?, ?>) {
      Map<?, ?> m = (Map<?, ?>) v;
      Object cls = m.get("class_name");
      if (("__numpy__".equals(cls) || "__tensor__".equals(cls)) && m.get("config") instanceof Map<?, ?>) {
        return ((Map<?, ?>) m.get("config")).get("value");
      }
    }
    return v;
  }

  private static Object jsonReady(Object v) {
    if (v instanceof int[]) {
      List<Object> l = new ArrayList<>();
      for (int i : (int[]) v) {
        l.add(i);
      }
      return l;
    }
    if (v instanceof double[]) {
      List<Object> l = new ArrayList<>();
      for (double d : (double[]) v) {
        l.add(d);
      }
      return l;
    }
    return v;
  }

  private static Object parse(String json) {
    try {
      return JSON.readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("loss config: not valid JSON: " + JsonErrors.describe(e), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> stringKeys(Object map) {
    // Jackson maps JSON objects to LinkedHashMap<String, Object>; Java callers pass Map<String, ?>.
    return (Map<String, Object>) map;
  }

  private static String jsonType(Object v) {
    return v == null ? "null" : v instanceof List<?> ? "array" : v instanceof Boolean ? "boolean"
        : v instanceof Number ? "number" : v instanceof String ? "string" : "object";
  }

  private static String show(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }

  /** {@code " (did you mean 'x'?)"} when a known key is within two edits of {@code key}. */
  private static String suggestion(String key, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
