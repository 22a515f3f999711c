import type { SealedDef } from "./types";
import { DEPRECATED, kdoc, kotlinFile, stringLiteral } from "./kotlin";
import { NameAllocator } from "./names";

/**
 * A discriminated union: a sealed interface whose serializer picks the variant from the
 * discriminator property (which every variant also declares, so it is sent as is). A value
 * added to the API later decodes to a nested fallback holding the JSON, as enums do, and the
 * fallback cannot be sent.
 */
export function sealedFile(model: SealedDef, pkg: string): string {
  const nested = new NameAllocator(model.variants.map((variant) => variant.model));
  const fallback = nested.allocate("Unknown");
  const fallbackSerializer = nested.allocate(`${fallback}Serializer`);
  const variants = model.variants.map((variant) => `[${variant.model}]`).join(", ");
  const docs = [
    ...model.docs,
    "",
    `One of ${variants}, told apart by \`${model.discriminator}\`. A \`${model.discriminator}\` this client does not know (added to the API later) decodes to [${fallback}] instead of failing the response.`,
  ];
  const property = stringLiteral(model.discriminator);
  const refused = stringLiteral(
    `${model.name}.${fallback} stands for a value this client does not know; it cannot be sent`,
  );
  const body = [
    ...kdoc(docs, ""),
    ...(model.deprecated ? [DEPRECATED] : []),
    `@Serializable(with = ${model.name}.Serializer::class)`,
    `sealed interface ${model.name} {`,
    "    /** A variant added to the API after this client was generated, as received. */",
    `    @Serializable(with = ${fallbackSerializer}::class)`,
    `    data class ${fallback}(val json: JsonObject) : ${model.name}`,
    "",
    `    /** Keeps an unknown variant's JSON; refuses to send it. */`,
    `    object ${fallbackSerializer} : KSerializer<${fallback}> {`,
    "        override val descriptor: SerialDescriptor = JsonObject.serializer().descriptor",
    "",
    `        override fun deserialize(decoder: Decoder): ${fallback} = ${fallback}(JsonObject.serializer().deserialize(decoder))`,
    "",
    `        override fun serialize(encoder: Encoder, value: ${fallback}): Unit = throw SerializationException(${refused})`,
    "    }",
    "",
    `    /** Reads \`${model.discriminator}\` and decodes the matching variant. */`,
    `    object Serializer : JsonContentPolymorphicSerializer<${model.name}>(${model.name}::class) {`,
    `        override fun selectDeserializer(element: JsonElement): DeserializationStrategy<${model.name}> =`,
    `            when (((element as? JsonObject)?.get(${property}) as? JsonPrimitive)?.contentOrNull) {`,
    ...model.variants.map(
      (variant) =>
        `                ${stringLiteral(variant.wire)} -> ${variant.model}.serializer()`,
    ),
    `                else -> ${fallbackSerializer}`,
    "            }",
    "    }",
    "}",
  ];
  return kotlinFile(
    pkg,
    [
      "kotlinx.serialization.DeserializationStrategy",
      "kotlinx.serialization.KSerializer",
      "kotlinx.serialization.Serializable",
      "kotlinx.serialization.SerializationException",
      "kotlinx.serialization.descriptors.SerialDescriptor",
      "kotlinx.serialization.encoding.Decoder",
      "kotlinx.serialization.encoding.Encoder",
      "kotlinx.serialization.json.JsonContentPolymorphicSerializer",
      "kotlinx.serialization.json.JsonElement",
      "kotlinx.serialization.json.JsonObject",
      "kotlinx.serialization.json.JsonPrimitive",
      "kotlinx.serialization.json.contentOrNull",
    ],
    body,
  );
}
