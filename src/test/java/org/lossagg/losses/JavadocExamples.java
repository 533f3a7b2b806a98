package org.lossagg.losses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.lossagg.numerics.NdArray;

/**
 * The Java examples in a loss' class javadoc ({@code <pre>{@code ...}</pre>} blocks), compiled with
 * {@code javax.tools} against lossagg's public API and run. A statement ending in
 * {@code ;   // VALUE ...} shows the value it gives: a number or a {@code [list]} (free text may
 * follow). A value that is a float32 number is shown as the float it is (Keras prints float32), any
 * other as the double it is; {@link #matches} compares them exactly.
 */
public final class JavadocExamples {
  private static final Pattern BLOCK = Pattern.compile("<pre>\\{@code\\n(.*?)\\n \\* }</pre>", Pattern.DOTALL);
  private static final Pattern SHOWN = Pattern.compile("^(\\[[^\\]]*\\]|-?(?:NaN|Infinity|[0-9][0-9.]*(?:E-?[0-9]+)?))");

  private JavadocExamples() {}

  /** A statement with the value its comment shows, or null. */
  public record Shown(String statement, String value) {}

  /** The value a statement gave against the value its example shows. */
  public record Outcome(String statement, String shown, Object actual) {
    public boolean ok() {
      return matches(shown, actual);
    }

    @Override
    public String toString() {
      return statement + "   // shown " + shown + ", gives " + describe(actual);
    }
  }

  /** The source file of a loss class. */
  public static Path sourceOf(Class<?> lossClass) {
    return Path.of("src/main/java", lossClass.getName().replace('.', '/') + ".java");
  }

  /** The example blocks of the class javadoc in {@code source}, their lines without the leading {@code " * "}. */
  public static List<List<String>> blocks(String source) {
    int classStart = source.indexOf("\npublic ");
    String javadoc = source.substring(0, classStart < 0 ? source.length() : classStart);
    List<List<String>> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(javadoc);
    while (m.find()) {
      List<String> lines = new ArrayList<>();
      for (String l : m.group(1).split("\n")) {
        lines.add(l.startsWith(" * ") ? l.substring(3) : l.startsWith(" *") ? l.substring(2) : l);
      }
      out.add(lines);
    }
    return out;
  }

  /**
   * The statements of a block, each on one line, with the value shown by the comment on its last
   * line (null for none); comment-only lines are left out.
   */
  public static List<Shown> statements(List<String> block) {
    List<Shown> out = new ArrayList<>();
    StringBuilder statement = new StringBuilder();
    for (String line : block) {
      int comment = line.indexOf("//");
      String code = (comment < 0 ? line : line.substring(0, comment)).strip();
      if (code.isEmpty()) {
        continue;
      }
      statement.append(statement.length() == 0 ? "" : " ").append(code);
      if (code.endsWith(";")) {
        Matcher v = SHOWN.matcher(comment < 0 ? "" : line.substring(comment + 2).strip());
        out.add(new Shown(statement.toString(), v.find() ? v.group(1) : null));
        statement.setLength(0);
      }
    }
    return out;
  }

  /**
   * Compiles {@code block} as the body of a method of a class outside lossagg's packages (so it
   * sees only the public API, with {@code org.lossagg.losses}, {@code numerics} and {@code reduce}
   * imported), runs it, and returns what each value-showing statement gave.
   */
  public static List<Outcome> run(String name, List<String> block, Path workDir) {
    List<Shown> shown = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    for (Shown st : statements(block)) {
      String s = st.statement();
      if (st.value() != null) {
        body.append("    out.add(").append(s, 0, s.length() - 1).append(");\n");
        shown.add(st);
      } else {
        body.append("    ").append(s).append('\n');
      }
    }
    String cls = "Example_" + name.replaceAll("[^A-Za-z0-9]", "_");
    String source = "package lossaggexamples;\n\n"
        + "import org.lossagg.losses.*;\nimport org.lossagg.numerics.*;\nimport org.lossagg.reduce.*;\n\n"
        + "public final class " + cls + " {\n  public static void run(java.util.List<Object> out) {\n" + body + "  }\n}\n";
    List<Object> values = new ArrayList<>();
    try {
      Path src = workDir.resolve("lossaggexamples").resolve(cls + ".java");
      Files.createDirectories(src.getParent());
      Files.writeString(src, source);
      compile(src, workDir, source);
      try (URLClassLoader loader = new URLClassLoader(new URL[] {workDir.toUri().toURL()},
          JavadocExamples.class.getClassLoader())) {
        loader.loadClass("lossaggexamples." + cls).getMethod("run", List.class).invoke(null, values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(name + ": the example failed to run:\n" + source, e);
    }
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < shown.size(); i++) {
      out.add(new Outcome(shown.get(i).statement(), shown.get(i).value(), values.get(i)));
    }
    return out;
  }

  private static void compile(Path src, Path outDir, String source) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    String classes;
    try {
      classes = Path.of(Loss.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      boolean ok = javac.getTask(null, files, diagnostics, List.of("-classpath", classes, "-d", outDir.toString(),
          "-proc:none"), null, files.getJavaFileObjects(src)).call();
      if (!ok) {
        throw new AssertionError("the example does not compile: " + diagnostics.getDiagnostics() + "\n" + source);
      }
    }
  }

  /**
   * Whether {@code shown} is what {@code actual} (an NdArray or a number) holds: a scalar for a
   * rank-0 array or a number, a list for a rank-1 array, element by element exactly — as the float
   * a float32 value is, else as the double.
   */
  static boolean matches(String shown, Object actual) {
    double[] values;
    boolean list = shown.startsWith("[");
    if (actual instanceof NdArray a) {
      if (a.rank() != (list ? 1 : 0)) {
        return false;
      }
      values = a.data();
    } else if (actual instanceof Number n && !list) {
      values = new double[] {n.doubleValue()};
    } else {
      return false;
    }
    String[] parts = list ? shown.substring(1, shown.length() - 1).split(",\\s*") : new String[] {shown};
    if (parts.length != values.length) {
      return false;
    }
    for (int i = 0; i < parts.length; i++) {
      double v = values[i];
      boolean float32 = (double) (float) v == v || Double.isNaN(v);
      boolean same = float32 ? Float.compare(Float.parseFloat(parts[i]), (float) v) == 0
          : Double.compare(Double.parseDouble(parts[i]), v) == 0;
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Object actual) {
    if (actual instanceof NdArray a) {
      double[] d = a.data();
      List<String> parts = new ArrayList<>();
      for (double v : d) {
        parts.add((double) (float) v == v ? Float.toString((float) v) : Double.toString(v));
      }
      return a.rank() == 0 ? parts.get(0) : parts.toString();
    }
    return String.valueOf(actual);
  }

  /** The source of {@code lossClass}. */
  public static String read(Class<?> lossClass) {
    try {
      return Files.readString(sourceOf(lossClass));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
