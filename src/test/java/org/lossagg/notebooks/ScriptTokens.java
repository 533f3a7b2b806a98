package org.lossagg.notebooks;

import java.util.ArrayList;
import java.util.List;

/**
 * Python or Scala notebook code as tokens, cut into top-level statements: enough of both languages to
 * find the Spark calls in a cell (strings of every quoting style, comments, brackets, line
 * continuation), not a parser of either.
 */
final class ScriptTokens {

  enum Kind { NAME, STRING, NUMBER, OP }

  /** One token; {@code text} is a string's value (unquoted, unescaped); {@code prefixed} marks f"", s"" and the like. */
  record Token(Kind kind, String text, boolean prefixed, int start, int end) {
    boolean is(String op) {
      return kind != Kind.STRING && text.equals(op);
    }
  }

  /** A top-level statement: its tokens and its source text. */
  record Statement(List<Token> tokens, String source) {}

  private ScriptTokens() {}

  static List<Statement> statements(String code, boolean python) {
    List<Statement> statements = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    int depth = 0;
    int i = 0;
    int n = code.length();
    while (i < n) {
      char c = code.charAt(i);
      if (c == '\n') {
        if (depth == 0 && !current.isEmpty() && !nextLineContinuesChain(code, i + 1)) {
          statements.add(statement(code, current));
          current = new ArrayList<>();
        }
        i++;
      } else if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\\' && i + 1 < n && code.charAt(i + 1) == '\n') {
        i += 2;
      } else if (python && c == '#' || !python && code.startsWith("//", i)) {
        while (i < n && code.charAt(i) != '\n') {
          i++;
        }
      } else if (!python && code.startsWith("/*", i)) {
        int close = code.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '"' || c == '\'') {
        i = string(code, i, false, current);
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '_')) {
          i++;
        }
        if (i < n && (code.charAt(i) == '"' || code.charAt(i) == '\'') && i - start <= 2) {
          i = string(code, i, true, current);
        } else {
          current.add(new Token(Kind.NAME, code.substring(start, i), false, start, i));
        }
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(code.charAt(i)) || code.charAt(i) == '.')) {
          i++;
        }
        current.add(new Token(Kind.NUMBER, code.substring(start, i), false, start, i));
      } else {
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth--;
        }
        current.add(new Token(Kind.OP, String.valueOf(c), false, i, i + 1));
        i++;
      }
    }
    if (!current.isEmpty()) {
      statements.add(statement(code, current));
    }
    return statements;
  }

  /** Scala chains continue on a line that starts with a dot. */
  private static boolean nextLineContinuesChain(String code, int from) {
    int i = from;
    while (i < code.length() && (code.charAt(i) == ' ' || code.charAt(i) == '\t' || code.charAt(i) == '\n')) {
      i++;
    }
    return i < code.length() && code.charAt(i) == '.';
  }

  private static Statement statement(String code, List<Token> tokens) {
    return new Statement(List.copyOf(tokens), code.substring(tokens.get(0).start(), tokens.get(tokens.size() - 1).end()));
  }

  private static int string(String code, int start, boolean prefixed, List<Token> out) {
    char quote = code.charAt(start);
    String triple = String.valueOf(quote).repeat(3);
    StringBuilder value = new StringBuilder();
    int i;
    if (code.startsWith(triple, start)) {
      int close = code.indexOf(triple, start + 3);
      if (close < 0) {
        throw new IllegalArgumentException("unterminated " + triple + " string at offset " + start);
      }
      value.append(code, start + 3, close);
      i = close + 3;
    } else {
      i = start + 1;
      while (true) {
        if (i >= code.length() || code.charAt(i) == '\n') {
          throw new IllegalArgumentException("unterminated string at offset " + start);
        }
        char c = code.charAt(i);
        if (c == quote) {
          i++;
          break;
        }
        if (c == '\\' && i + 1 < code.length()) {
          char e = code.charAt(i + 1);
          value.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
          i += 2;
        } else {
          value.append(c);
          i++;
        }
      }
    }
    out.add(new Token(Kind.STRING, value.toString(), prefixed, start, i));
    return i;
  }
}
