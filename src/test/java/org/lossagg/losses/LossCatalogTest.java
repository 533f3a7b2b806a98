package org.lossagg.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lossagg.numerics.DType;
import org.lossagg.numerics.NdArray;

/** The catalogue is consistent: every name resolves to one loss, defaults are valid, docs are there. */
class LossCatalogTest {
  private static final Set<String> COMMON_KEYS = Set.of("name", "reduction", "dtype", "keras2");

  static Stream<LossSpec> specs() {
    return LossCatalog.all().stream();
  }

  @Test
  void catalogueIsNotEmpty() {
    assertTrue(LossCatalog.all().size() >= 2);
  }

  @Test
  void everyIdentifierResolvesToExactlyOneSpec() {
    Map<String, LossSpec> owner = new HashMap<>();
    for (LossSpec s : LossCatalog.all()) {
      for (String id : identifiers(s)) {
        LossSpec prev = owner.put(id, s);
        assertTrue(prev == null || prev == s, () -> "'" + id + "' names both " + prev + " and " + s);
        assertSame(s, LossCatalog.find(id).orElse(null), id);
        assertSame(s, LossCatalog.get(id), id);
      }
    }
  }

  /**
   * A loss computes a row against reference inputs exactly when its spec declares them (Circle:
   * ref_labels (n,), ref_embeddings (n, dim)); the others refuse them, naming the loss.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void referenceInputsAreTakenExactlyWhereTheSpecDeclaresThem(LossSpec spec) {
    Loss loss = spec.create();
    if (spec.referenceArgs().isEmpty()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loss.functionOnRow(
          NdArray.vector(1), NdArray.vector(1), List.of(NdArray.vector(1)), DType.FLOAT64));
      assertEquals(spec.className() + " takes no reference inputs, got 1", e.getMessage());
      assertDoesNotThrow(loss::checkReferenceOptions);
      assertTrue(spec.requiredWithReferences().isEmpty());
      return;
    }
    List<NdArray> refs = new ArrayList<>();
    for (LossSpec.ReferenceArg r : spec.referenceArgs()) {
      refs.add(r.rank() == 1 ? NdArray.vector(1, 2) : NdArray.matrix(new double[][] {{1, 0}, {0, 1}}));
    }
    Loss row = spec.newOptions().set(spec.requiredWithReferences().get(0), false).build().create();
    assertDoesNotThrow(row::checkReferenceOptions);
    assertEquals(1, row.functionOnRow(NdArray.scalar(1), NdArray.vector(0.6, 0.8), refs, DType.FLOAT64).values().size());
  }

  @Test
  void classFunctionAndSqlNamesAreUnique() {
    Set<String> classes = new HashSet<>();
    Set<String> functions = new HashSet<>();
    Set<String> sql = new HashSet<>();
    for (LossSpec s : LossCatalog.all()) {
      assertTrue(classes.add(s.className()), s.className());
      assertTrue(functions.add(s.functionName()), s.functionName());
      assertTrue(sql.add(s.sqlName()), s.sqlName());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void sqlNameIsLossUnderscoreFunctionName(LossSpec s) {
    assertEquals("loss_" + s.functionName(), s.sqlName());
    assertTrue(s.functionName().matches("[a-z][a-z0-9_]*"), s.functionName());
    assertTrue(s.className().matches("[A-Z][A-Za-z0-9]*"), s.className());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void defaultsCoerceAndBuild(LossSpec s) {
    Loss loss = assertDoesNotThrow(s::create);
    assertSame(s, loss.spec());
    assertEquals(s.defaultName(), loss.name());
    for (OptionSpec o : s.options()) {
      Object coerced = assertDoesNotThrow(() -> o.coerce(s.className(), o.defaultValue()), o.name());
      Object built = loss.options().values().get(o.name());
      if (coerced instanceof int[]) {
        assertArrayEquals((int[]) coerced, (int[]) built, o.name());
      } else if (coerced instanceof double[]) {
        assertArrayEquals((double[]) coerced, (double[]) built, o.name());
      } else {
        assertEquals(coerced, built, o.name());
      }
      assertFalse(o.description().isBlank(), s + "." + o.name() + " has no description");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void everySpecHasAFormula(LossSpec s) {
    assertFalse(s.formula().isBlank(), s + " has no formula");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void optionNamesAreUniqueAndOrdersCoverThem(LossSpec s) {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : s.options()) {
      assertFalse(names.contains(o.name()), s + ": option '" + o.name() + "' declared twice");
      assertFalse(COMMON_KEYS.contains(o.name()), s + ": option '" + o.name() + "' shadows a common key");
      names.add(o.name());
    }
    assertEquals(new HashSet<>(names), new HashSet<>(s.configOrder()));
    assertEquals(names.size(), s.configOrder().size());
    assertTrue(names.containsAll(s.functionArgs()), () -> s + ": functionArgs " + s.functionArgs());
  }

  @Test
  void unknownIdentifierListsTheKnownLosses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossCatalog.get("nope"));
    for (LossSpec s : LossCatalog.all()) {
      assertTrue(e.getMessage().contains(s.className()), e.getMessage());
    }
    assertFalse(LossCatalog.find(null).isPresent());
  }

  @Test
  void configOrderMustListEveryOptionOnce() {
    LossSpec.Builder b = LossSpec.builder("Broken", "broken")
        .option(OptionSpec.of("a", OptionType.BOOLEAN, false, "a"))
        .option(OptionSpec.of("b", OptionType.BOOLEAN, false, "b"))
        .configOrder("a", "a");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.factory(o -> null));
    assertTrue(e.getMessage().contains("Broken") && e.getMessage().contains("configOrder"), e.getMessage());
  }

  private static List<String> identifiers(LossSpec s) {
    List<String> ids = new ArrayList<>(List.of(s.className(), s.functionName(), s.defaultName()));
    ids.addAll(s.aliases());
    return ids;
  }
}
