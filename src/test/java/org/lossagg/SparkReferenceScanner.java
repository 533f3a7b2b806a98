package org.lossagg;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds dependencies in Java source text (import lines) and Spark references in class files
 * (constant pool).
 */
final class SparkReferenceScanner {
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern LINE_COMMENT = Pattern.compile("//[^\\n]*");
  private static final Pattern SPARK_IMPORT =
      Pattern.compile("(?m)^\\s*import\\s+(static\\s+)?org\\s*\\.\\s*apache\\s*\\.\\s*spark\\s*[.;]");
  /** A string constant that is itself a Spark class name (reflection), not prose mentioning Spark. */
  private static final Pattern SPARK_CLASS_NAME = Pattern.compile("org\\.apache\\.spark(\\.[A-Za-z_$][\\w$]*)+");

  private SparkReferenceScanner() {}

  private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(?:static\\s+)?([\\w.$*\\s]+?)\\s*;");

  /** The names every import line of a Java source file imports, comments ignored. */
  static List<String> imports(String source) {
    String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source).replaceAll(" ")).replaceAll("");
    List<String> found = new ArrayList<>();
    Matcher m = IMPORT.matcher(code);
    while (m.find()) {
      found.add(m.group(1).replaceAll("\\s", ""));
    }
    return found;
  }

  /** The Spark import lines of a Java source file, comments ignored. */
  static List<String> sparkImports(String source) {
    String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(source).replaceAll(" ")).replaceAll("");
    List<String> found = new ArrayList<>();
    Matcher m = SPARK_IMPORT.matcher(code);
    while (m.find()) {
      int end = code.indexOf('\n', m.start());
      found.add(code.substring(m.start(), end < 0 ? code.length() : end).trim());
    }
    return found;
  }

  /**
   * The constant-pool strings of a class file that reference Spark: internal names and descriptors
   * ({@code org/apache/spark/...}, which covers imports and fully qualified uses alike) and string
   * constants that are a Spark class name.
   */
  static List<String> sparkReferences(byte[] classFile) throws IOException {
    List<String> found = new ArrayList<>();
    for (String s : utf8Constants(classFile)) {
      if (s.contains("org/apache/spark/") || SPARK_CLASS_NAME.matcher(s).matches()) {
        found.add(s);
      }
    }
    return found;
  }

  /** Every CONSTANT_Utf8 entry of a class file (JVMS §4.4). */
  static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    List<String> utf8 = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1: // Utf8
          utf8.add(in.readUTF());
          break;
        case 3: // Integer
        case 4: // Float
        case 9: // Fieldref
        case 10: // Methodref
        case 11: // InterfaceMethodref
        case 12: // NameAndType
        case 17: // Dynamic
        case 18: // InvokeDynamic
          in.skipNBytes(4);
          break;
        case 5: // Long
        case 6: // Double
          in.skipNBytes(8);
          i++; // takes two slots
          break;
        case 7: // Class
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          in.skipNBytes(2);
          break;
        case 15: // MethodHandle
          in.skipNBytes(3);
          break;
        default:
          throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    return utf8;
  }
}
