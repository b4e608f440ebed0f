package dev.trafficctl.config.schema;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.MemberScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaKeyword;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.generator.TypeContext;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import dev.trafficctl.config.DocumentType;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.config.SpecDurations;
import dev.trafficctl.config.catalog.FlatRouterField;
import dev.trafficctl.config.catalog.NginxRouterSettings;
import dev.trafficctl.config.catalog.RouterAsWritten;
import dev.trafficctl.config.catalog.RouterConfig;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas (draft 2020-12) of trafficctl's documents, generated from the records the loader
 * binds, so the schema and the loader cannot drift apart. Editors use them for completion and
 * pipelines for a first check of JSON input; the loader stays the authority on ranges and
 * cross-field rules, which the schemas leave out.
 *
 * <p>The schemas follow {@link JsonMapping}: snake_case names, enums by their wire names, durations
 * as the spec writes them, unknown keys rejected. They err on the lax side where the loader is
 * lenient: explicit {@code null} is allowed wherever the loader falls back to a default, and
 * nothing is required that the records alone cannot show to be required. Where the loader is strict
 * for every field, so are they: an empty value ({@code ""}) is refused everywhere.
 */
public final class SchemaGenerator {

  private static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  /** Marks a record that cannot be built from nothing, so it shows no defaults. */
  private static final Object NO_DEFAULTS = new Object();

  private final com.github.victools.jsonschema.generator.SchemaGenerator generator;
  private final ObjectMapper mapper = JsonMapping.json();
  private final Map<Class<?>, Object> defaultsByRecord = new ConcurrentHashMap<>();

  public SchemaGenerator() {
    SchemaGeneratorConfigBuilder config =
        new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
            // @JsonIgnore, @JsonProperty and friends; enums are handled by enumDefinition below,
            // which takes precedence because this module's flattening misses the inherited
            // @JsonValue of SpecEnum.
            .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
            // Unknown keys are errors in the loader too; maps still take any key.
            .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
            .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
    config.forFields().withPropertyNameOverrideResolver(SchemaGenerator::snakeCaseName);
    config.forFields().withNullableCheck(SchemaGenerator::isNullable);
    config.forFields().withRequiredCheck(SchemaGenerator::isRequired);
    config.forFields().withDefaultResolver(this::defaultOf);
    config.forFields().withStringMinLengthResolver(SchemaGenerator::nonEmptyText);
    config.forFields().withTargetTypeOverridesResolver(SchemaGenerator::typesAsRead);
    config.forFields().withInstanceAttributeOverride(SchemaGenerator::flatRouterField);
    config.forTypesInGeneral().withCustomDefinitionProvider(SchemaGenerator::durationDefinition);
    config.forTypesInGeneral().withCustomDefinitionProvider(this::enumDefinition);
    config.forTypesInGeneral().withPropertySorter(SchemaGenerator::declarationOrder);
    this.generator = new com.github.victools.jsonschema.generator.SchemaGenerator(config.build());
  }

  /**
   * The schema of a whole document of {@code type}: {@code {<root key>: ...}}. Synchronized because
   * the victools generator keeps per-run state.
   */
  public synchronized ObjectNode schemaFor(DocumentType type) {
    ObjectNode schema = generator.generateSchema(type.recordType());
    ObjectNode out = mapper.createObjectNode();
    // Keywords people read first, then what the generator produced.
    out.set("$schema", schema.remove("$schema"));
    out.put("title", "trafficctl " + type.title() + " document");
    out.put(
        "description",
        "A trafficctl "
            + type.title()
            + " document: a mapping with the single top-level key '"
            + type.rootKey()
            + "'.");
    out.setAll(schema);
    // The loader recognises a document by its root key, so the key is always there.
    ArrayNode required = out.withArray("required");
    if (!containsText(required, type.rootKey())) {
      required.add(type.rootKey());
    }
    return out;
  }

  /**
   * The name Jackson reads a record component under: an explicit {@code @JsonProperty} wins (the
   * Jackson module resolves it), otherwise the mapping's snake_case strategy, which is configured
   * on the mapper rather than annotated on the records, so the module cannot see it.
   */
  private static String snakeCaseName(FieldScope field) {
    JsonProperty explicit = field.getAnnotationConsideringFieldAndGetter(JsonProperty.class);
    if (explicit != null && !explicit.value().isEmpty()) {
      return null;
    }
    return NAMING.translate(field.getDeclaredName());
  }

  /**
   * What Jackson reads a field as, where that is not its declared type: a type with a delegating
   * {@code @JsonCreator} is read as the creator's argument ({@link RouterConfig} as {@link
   * RouterAsWritten}, which has the deprecated flat fields too), and {@code router.nginx} is the
   * nginx block or, deprecated, the nginx binary's path ({@code NginxBlockOrBinary}).
   */
  private static List<ResolvedType> typesAsRead(FieldScope field) {
    TypeContext types = field.getContext();
    if (field.getDeclaringType().getErasedType() == RouterAsWritten.class
        && field.getDeclaredName().equals("nginx")) {
      return List.of(types.resolve(NginxRouterSettings.class), types.resolve(String.class));
    }
    return delegateOf(field.getType().getErasedType())
        .map(d -> List.of(types.resolve(d)))
        .orElse(null);
  }

  /** The argument type of {@code type}'s delegating {@code @JsonCreator}, if it has one. */
  private static Optional<Class<?>> delegateOf(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1)
        .filter(
            m -> {
              JsonCreator creator = m.getAnnotation(JsonCreator.class);
              return creator != null && creator.mode() == JsonCreator.Mode.DELEGATING;
            })
        .<Class<?>>map(m -> m.getParameterTypes()[0])
        .findFirst();
  }

  /**
   * The router's flat fields of before the provider blocks: still read, so still in the schema (a
   * catalog the loader accepts passes), marked deprecated with what to write instead, which editors
   * show. The text form of {@code router.nginx} is one of them; the block is not (the generator
   * asks once for each type a field is read as).
   */
  private static void flatRouterField(
      ObjectNode attributes, FieldScope field, SchemaGenerationContext context) {
    if (field.isFakeContainerItemScope()
        || field.getDeclaringType().getErasedType() != RouterAsWritten.class) {
      return;
    }
    boolean block = field.getType().getErasedType() == NginxRouterSettings.class;
    FlatRouterField.byWritten(NAMING.translate(field.getDeclaredName()))
        .filter(flat -> !block)
        .ifPresent(
            flat -> {
              attributes.put("deprecated", true);
              attributes.put("description", "Deprecated: write " + flat.replacement() + ".");
            });
  }

  /**
   * Explicit {@code null} ({@code key: ~}) binds to null, and the records replace null with their
   * default or the validator reports it, so allowing it costs nothing. Primitives are the
   * exception: the mapping fails on null for them. The root key of a document is never null.
   */
  private static Boolean isNullable(FieldScope field) {
    if (field.isFakeContainerItemScope()) {
      return false; // list items and map values: the loader rejects empty entries
    }
    if (field.getType().isPrimitive()) {
      return false;
    }
    return !isDocumentRoot(field.getDeclaringType().getErasedType());
  }

  /**
   * Text is never empty: the loader refuses {@code ""} for every field (it is not "not given"; a
   * default is asked for by leaving the field out), so the schema does too. Numbers, booleans,
   * enums and durations refuse it by their type, enum values or pattern already.
   */
  private static Integer nonEmptyText(FieldScope field) {
    return field.getType().getErasedType() == String.class ? 1 : null;
  }

  /**
   * Required when the records alone prove it: a record's primitive component cannot be absent (the
   * mapping fails on a missing primitive creator property). Fields the validator requires are not
   * marked: that knowledge lives in code, and a schema rejecting a valid document is worse than a
   * lax one.
   */
  private static boolean isRequired(FieldScope field) {
    return !field.isFakeContainerItemScope()
        && field.getType().isPrimitive()
        && field.getDeclaringType().getErasedType().isRecord();
  }

  /**
   * The value a record's compact constructor puts in place of an absent field, found by building
   * the record from nothing. Only scalars and lists of scalars: nested defaults are noise in an
   * editor and conditional ones (nginx's mode) rightly stay unset.
   */
  private Object defaultOf(FieldScope field) {
    if (field.isFakeContainerItemScope()) {
      return null;
    }
    Class<?> owner = field.getDeclaringType().getErasedType();
    if (!owner.isRecord() || field.getType().isPrimitive()) {
      return null;
    }
    Object empty = defaultsByRecord.computeIfAbsent(owner, SchemaGenerator::buildFromNothing);
    if (empty == NO_DEFAULTS) {
      return null;
    }
    try {
      var accessor = owner.getDeclaredMethod(field.getDeclaredName());
      Object value = accessor.invoke(empty);
      if (value == null) {
        return null;
      }
      JsonNode json = mapper.valueToTree(value);
      boolean scalar = json.isValueNode();
      boolean scalarList = json.isArray() && allValues(json);
      return scalar || scalarList ? json : null;
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Object buildFromNothing(Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
    Object[] args = Arrays.stream(types).map(SchemaGenerator::zeroOf).toArray();
    try {
      Constructor<?> canonical = record.getDeclaredConstructor(types);
      canonical.setAccessible(true);
      return canonical.newInstance(args);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return NO_DEFAULTS; // a constructor that insists on its arguments has no defaults to show
    }
  }

  /** What the JVM puts in an uninitialised slot of {@code type}: 0, false, or null. */
  private static Object zeroOf(Class<?> type) {
    return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
  }

  /**
   * An enum as the mapping writes and reads it. The Jackson module's FLATTENED_ENUMS_FROM_JSONVALUE
   * only finds {@code @JsonValue} declared on the enum itself, not inherited from {@link
   * dev.trafficctl.config.SpecEnum#wire()}, and would list {@code PAUSE} where documents say {@code
   * pause}; asking the mapper is exact for every enum, however it is annotated.
   */
  private CustomDefinition enumDefinition(ResolvedType type, SchemaGenerationContext context) {
    Class<?> erased = type.getErasedType();
    if (!erased.isEnum()) {
      return null;
    }
    ObjectNode definition = context.getGeneratorConfig().createObjectNode();
    String typeKeyword = context.getKeyword(SchemaKeyword.TAG_TYPE);
    definition.put(typeKeyword, "string");
    ArrayNode values = definition.putArray(context.getKeyword(SchemaKeyword.TAG_ENUM));
    for (Object constant : erased.getEnumConstants()) {
      values.add(mapper.valueToTree(constant));
    }
    if (!allTextual(values)) {
      definition.remove(typeKeyword);
    }
    return new CustomDefinition(
        definition,
        CustomDefinition.DefinitionType.STANDARD,
        CustomDefinition.AttributeInclusion.YES);
  }

  /** Properties in the order the record declares them, which is the order the spec writes them. */
  private static int declarationOrder(MemberScope<?, ?> a, MemberScope<?, ?> b) {
    return Integer.compare(componentIndex(a), componentIndex(b));
  }

  private static int componentIndex(MemberScope<?, ?> member) {
    RecordComponent[] components = member.getDeclaringType().getErasedType().getRecordComponents();
    if (components != null) {
      for (int i = 0; i < components.length; i++) {
        if (components[i].getName().equals(member.getDeclaredName())) {
          return i;
        }
      }
    }
    return Integer.MAX_VALUE;
  }

  /** {@link Duration} as the spec writes it ({@code "5m"}), one shared definition. */
  private static CustomDefinition durationDefinition(
      ResolvedType type, SchemaGenerationContext context) {
    if (!type.isInstanceOf(Duration.class)) {
      return null;
    }
    ObjectNode definition = context.getGeneratorConfig().createObjectNode();
    definition.put(context.getKeyword(SchemaKeyword.TAG_TYPE), "string");
    definition.put(context.getKeyword(SchemaKeyword.TAG_PATTERN), SpecDurations.PATTERN);
    definition.put(
        context.getKeyword(SchemaKeyword.TAG_DESCRIPTION),
        "A duration: a number and a unit (ms, s, m, h, d), or several, e.g. 1h30m.");
    ArrayNode examples = definition.putArray("examples");
    Arrays.stream(SpecDurations.EXAMPLES.split(",\\s*")).forEach(examples::add);
    return new CustomDefinition(
        definition,
        CustomDefinition.DefinitionType.STANDARD,
        CustomDefinition.AttributeInclusion.YES);
  }

  private static boolean isDocumentRoot(Class<?> type) {
    return Arrays.stream(DocumentType.values()).anyMatch(t -> t.recordType().equals(type));
  }

  private static boolean allValues(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isValueNode()) {
        return false;
      }
    }
    return true;
  }

  private static boolean allTextual(ArrayNode array) {
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsText(ArrayNode array, String text) {
    for (JsonNode item : array) {
      if (item.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }
}
