package org.lossagg.notebooks;

import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.lossagg.notebooks.ScriptTokens.Kind;
import org.lossagg.notebooks.ScriptTokens.Statement;
import org.lossagg.notebooks.ScriptTokens.Token;

/**
 * Runs the Spark statements of notebook cells (PySpark or Scala) on a Java SparkSession: the
 * {@code spark.sql}/{@code spark.table} calls, the DataFrame chains built on them ({@code select},
 * {@code where}, {@code groupBy().agg}, {@code orderBy}) with {@code F.expr}/{@code expr},
 * {@code col}, {@code lit}, {@code call_function}, {@code alias}/{@code as}, and what they print
 * ({@code show()}, Zeppelin's {@code z.show}). Other statements (imports, pandas, matplotlib) are left
 * to the Python compile check. Variables live across the cells of one notebook.
 */
final class SparkScript {

  /** What a statement printed: show() text, or a Zeppelin TABLE. */
  record Output(boolean table, String text) {}

  /** A statement that ran: its source, and whether it was a {@code spark.sql} call (with its SQL). */
  record Ran(String source, String sql) {}

  private enum Marker { SESSION, FUNCTIONS, ZEPPELIN }

  private static final Set<String> FUNCTIONS = Set.of("col", "expr", "lit", "call_function");

  private final SparkSession spark;
  private final boolean python;
  private final Map<String, Object> variables = new HashMap<>();
  private final List<Output> outputs = new ArrayList<>();
  private final List<String> echoes = new ArrayList<>();
  private final List<Ran> ran = new ArrayList<>();
  private List<Token> tokens;
  private int pos;

  SparkScript(SparkSession spark, boolean python) {
    this.spark = spark;
    this.python = python;
  }

  /** Runs a cell; returns what it printed. Throws {@link ScriptError} naming the failing statement. */
  List<Output> runCell(String code) {
    outputs.clear();
    echoes.clear();
    for (Statement statement : ScriptTokens.statements(code, python)) {
      run(statement);
    }
    return List.copyOf(outputs);
  }

  /** The Scala REPL's echo of the last cell's definitions and imports, as Zeppelin shows it. */
  List<String> echoes() {
    return List.copyOf(echoes);
  }

  List<Ran> ran() {
    return List.copyOf(ran);
  }

  private void run(Statement statement) {
    List<Token> t = statement.tokens();
    if (t.get(0).is("import") || t.get(0).is("from")) {
      if (!python) {
        echoes.add("import " + statement.source().substring("import".length()).trim() + "\n");
      }
      return;
    }
    int start = 0;
    String target = null;
    if (!python && t.get(0).is("val") && t.size() > 3 && t.get(2).is("=")) {
      target = t.get(1).text();
      start = 3;
    } else if (python && t.size() > 2 && t.get(0).kind() == Kind.NAME && t.get(1).is("=") && !t.get(2).is("=")) {
      target = t.get(0).text();
      start = 2;
    }
    if (!startsWithSparkValue(t, start)) {
      return;
    }
    tokens = t;
    pos = start;
    Object value;
    try {
      value = expression();
      if (pos != tokens.size()) {
        throw new ScriptError("unexpected '" + tokens.get(pos).text() + "'");
      }
    } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
      throw new ScriptError("statement `" + statement.source() + "` failed: " + e.getMessage(), e);
    }
    String sql = statement.tokens().stream().anyMatch(k -> k.is("sql")) ? sqlOf(statement) : null;
    ran.add(new Ran(statement.source(), sql));
    if (target != null && value != null) {
      variables.put(target, value);
      if (!python && value instanceof Dataset<?> df) {
        echoes.add("\u001b[1m\u001b[34m" + target + "\u001b[0m: \u001b[1m\u001b[32morg.apache.spark.sql.DataFrame\u001b[0m = "
            + df.toString() + "\n");
      }
    }
  }

  private static String sqlOf(Statement statement) {
    List<Token> t = statement.tokens();
    for (int i = 0; i + 2 < t.size(); i++) {
      if (t.get(i).is("sql") && t.get(i + 1).is("(") && t.get(i + 2).kind() == Kind.STRING) {
        return t.get(i + 2).text();
      }
    }
    return null;
  }

  /** Statements this runs start from spark, z, or a variable it assigned (possibly inside parentheses). */
  private boolean startsWithSparkValue(List<Token> t, int start) {
    int i = start;
    while (i < t.size() && t.get(i).is("(")) {
      i++;
    }
    if (i >= t.size() || t.get(i).kind() != Kind.NAME) {
      return false;
    }
    String name = t.get(i).text();
    return name.equals("spark") || name.equals("z") && !python || variables.containsKey(name);
  }

  private Object expression() {
    Object value = primary();
    while (pos < tokens.size() && tokens.get(pos).is(".")) {
      pos++;
      String method = name();
      List<Object> args = List.of();
      if (pos < tokens.size() && tokens.get(pos).is("(")) {
        args = arguments();
      }
      value = call(value, method, args);
    }
    return value;
  }

  private Object primary() {
    Token t = next();
    if (t.is("(")) {
      Object inner = expression();
      expect(")");
      return inner;
    }
    if (t.kind() == Kind.STRING) {
      if (t.prefixed()) {
        throw new ScriptError("interpolated or prefixed strings are not run by this check; write the SQL as a plain string");
      }
      return t.text();
    }
    if (t.kind() == Kind.NUMBER) {
      return t.text().contains(".") ? (Object) Double.valueOf(t.text()) : (Object) Long.valueOf(t.text());
    }
    if (t.is("-") && pos < tokens.size() && tokens.get(pos).kind() == Kind.NUMBER) {
      Object number = primary();
      return number instanceof Double d ? (Object) (-d) : (Object) (-(Long) number);
    }
    if (t.kind() != Kind.NAME) {
      throw new ScriptError("unexpected '" + t.text() + "'");
    }
    switch (t.text()) {
      case "spark": return Marker.SESSION;
      case "F": return Marker.FUNCTIONS;
      case "z": return Marker.ZEPPELIN;
      case "True": case "true": return Boolean.TRUE;
      case "False": case "false": return Boolean.FALSE;
      default: break;
    }
    if (variables.containsKey(t.text())) {
      return variables.get(t.text());
    }
    if (!python && FUNCTIONS.contains(t.text()) && pos < tokens.size() && tokens.get(pos).is("(")) {
      return call(Marker.FUNCTIONS, t.text(), arguments());
    }
    throw new ScriptError("unknown name '" + t.text() + "'");
  }

  private List<Object> arguments() {
    expect("(");
    List<Object> args = new ArrayList<>();
    while (!tokens.get(pos).is(")")) {
      if (pos + 1 < tokens.size() && tokens.get(pos).kind() == Kind.NAME && tokens.get(pos + 1).is("=")) {
        throw new ScriptError("keyword argument " + tokens.get(pos).text() + "= is not run by this check");
      }
      args.add(expression());
      if (tokens.get(pos).is(",")) {
        pos++;
      } else if (!tokens.get(pos).is(")")) {
        throw new ScriptError("expected ',' or ')' but found '" + tokens.get(pos).text() + "'");
      }
    }
    pos++;
    return args;
  }

  private Object call(Object receiver, String method, List<Object> args) {
    if (receiver == Marker.SESSION) {
      switch (method) {
        case "sql": return spark.sql(string(args, 0));
        case "table": return spark.table(string(args, 0));
        default: break;
      }
    } else if (receiver == Marker.FUNCTIONS) {
      switch (method) {
        case "col": return col(string(args, 0));
        case "expr": return expr(string(args, 0));
        case "lit": return lit(args.get(0));
        case "call_function": return call_function(string(args, 0), columns(args.subList(1, args.size())));
        default: break;
      }
    } else if (receiver == Marker.ZEPPELIN && method.equals("show")) {
      outputs.add(new Output(true, zeppelinTable(dataset(args.get(0)))));
      return null;
    } else if (receiver instanceof Column c && (method.equals("alias") || method.equals("as"))) {
      return c.alias(string(args, 0));
    } else if (receiver instanceof RelationalGroupedDataset g && method.equals("agg")) {
      Column[] cols = columns(args);
      return g.agg(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length));
    } else if (receiver instanceof Dataset<?> d) {
      return datasetCall(dataset(d), method, args);
    }
    throw new ScriptError("this check does not run " + describe(receiver) + "." + method + "(...)"
        + "; it runs spark.sql/table, select, where, filter, groupBy().agg, orderBy, show, toPandas, collect,"
        + " createOrReplaceTempView, z.show and the functions col, expr, lit, call_function");
  }

  private Object datasetCall(Dataset<Row> df, String method, List<Object> args) {
    switch (method) {
      case "select": return df.select(columns(args));
      case "where": case "filter": return df.where(args.get(0) instanceof String s ? expr(s) : (Column) args.get(0));
      case "groupBy": return df.groupBy(columns(args));
      case "orderBy": case "sort": return df.orderBy(columns(args));
      case "show":
        if (!args.isEmpty()) {
          throw new ScriptError("show(...) with arguments is not run by this check; use show()");
        }
        // PySpark's and Scala's show() both print showString(20, 20, false) with println.
        outputs.add(new Output(false, ShowString.of(df, 20, 20, false) + "\n"));
        return null;
      case "toPandas": case "collect":
        df.collectAsList();
        return null;
      case "createOrReplaceTempView":
        df.createOrReplaceTempView(string(args, 0));
        return null;
      default:
        throw new ScriptError("this check does not run DataFrame." + method + "(...)");
    }
  }

  /** What Zeppelin's Spark interpreter shows for a DataFrame: a TABLE, tab-separated, a line per row. */
  static String zeppelinTable(Dataset<Row> df) {
    StringBuilder table = new StringBuilder();
    String[] columns = df.columns();
    for (int i = 0; i < columns.length; i++) {
      table.append(i == 0 ? "" : "\t").append(cell(columns[i]));
    }
    table.append('\n');
    for (Row row : df.collectAsList()) {
      for (int i = 0; i < row.size(); i++) {
        table.append(i == 0 ? "" : "\t").append(row.isNullAt(i) ? "null" : cell(ShowString.zeppelinCell(row.get(i))));
      }
      table.append('\n');
    }
    return table.toString();
  }

  private static String cell(String value) {
    return value.replace("\t", " ").replace("\r\n", " ").replace("\n", " ");
  }

  @SuppressWarnings("unchecked")
  private static Dataset<Row> dataset(Object value) {
    if (!(value instanceof Dataset<?>)) {
      throw new ScriptError("expected a DataFrame, got " + describe(value));
    }
    return (Dataset<Row>) value;
  }

  private static Column[] columns(List<Object> args) {
    Column[] cols = new Column[args.size()];
    for (int i = 0; i < cols.length; i++) {
      Object a = args.get(i);
      cols[i] = a instanceof String s ? col(s) : a instanceof Column c ? c : lit(a);
    }
    return cols;
  }

  private static String string(List<Object> args, int i) {
    if (args.size() <= i || !(args.get(i) instanceof String s)) {
      throw new ScriptError("argument " + (i + 1) + " must be a plain string literal");
    }
    return s;
  }

  private static String describe(Object value) {
    return value == null ? "None" : value instanceof Marker m ? m.name().toLowerCase() : value.getClass().getSimpleName();
  }

  private String name() {
    Token t = next();
    if (t.kind() != Kind.NAME) {
      throw new ScriptError("expected a name after '.', found '" + t.text() + "'");
    }
    return t.text();
  }

  private void expect(String op) {
    Token t = next();
    if (!t.is(op)) {
      throw new ScriptError("expected '" + op + "' but found '" + t.text() + "'");
    }
  }

  private Token next() {
    if (pos >= tokens.size()) {
      throw new ScriptError("statement ends too early");
    }
    return tokens.get(pos++);
  }

  /** A statement the check could not run, or that failed in Spark; the message names it. */
  static final class ScriptError extends RuntimeException {
    ScriptError(String message) {
      super(message);
    }

    ScriptError(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
