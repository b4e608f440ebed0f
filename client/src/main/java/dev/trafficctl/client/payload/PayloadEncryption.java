package dev.trafficctl.client.payload;

import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.trafficctl.config.JsonMapping;
import dev.trafficctl.workflows.TrafficDataConverter;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;

/**
 * How a process encodes what it sends to Temporal: the one place the worker, the CLI and {@code
 * TemporalConnection} get their data converter from. trafficctl's JSON mapping ({@link
 * TrafficDataConverter}) wrapped in the AES-GCM codec of the keys held.
 *
 * <p>Without a key nothing changes on the wire: payloads stay {@code json/plain} and failures
 * readable, as before encryption existed; the codec is there only to say plainly, when a payload
 * turns out to be encrypted, that a key is missing. With a key, failure messages and stack traces
 * are encrypted too (the SDK moves them into an encoded payload): they may quote an input.
 *
 * @param keys the keys held; the first encrypts
 * @param requireEncrypted refuse to decode plain payloads (a worker's choice; needs a key)
 */
public record PayloadEncryption(PayloadKeyRing keys, boolean requireEncrypted) {

  /**
   * trafficctl's JSON mapping as {@link TrafficDataConverter} has it, plus {@code Optional}: the
   * SDK writes a failure's encoded attributes as an {@code Optional} value, which the mapping alone
   * refuses (and the worker would then fail every workflow task that fails a workflow). No type of
   * trafficctl's holds an {@code Optional}, so the module changes nothing else.
   */
  private static final DataConverter JSON_WITH_ENCODED_FAILURES =
      DefaultDataConverter.newDefaultInstance()
          .withPayloadConverterOverrides(
              new JacksonJsonPayloadConverter(
                  JsonMapping.json().copy().registerModule(new Jdk8Module())));

  /** No key, plain payloads accepted: as trafficctl was before encryption. */
  public static final PayloadEncryption OFF = new PayloadEncryption(PayloadKeyRing.NONE, false);

  public PayloadEncryption {
    if (requireEncrypted && keys.isEmpty()) {
      throw new IllegalArgumentException("requiring encrypted payloads needs a payload key");
    }
  }

  public static PayloadEncryption with(PayloadKeyRing keys) {
    return new PayloadEncryption(keys, false);
  }

  public boolean encrypts() {
    return !keys.isEmpty();
  }

  public AesGcmPayloadCodec codec() {
    return new AesGcmPayloadCodec(keys, requireEncrypted);
  }

  /** The data converter for every client and worker of this process. */
  public DataConverter dataConverter() {
    return encrypts()
        ? new CodecDataConverter(JSON_WITH_ENCODED_FAILURES, List.of(codec()), true)
        : new CodecDataConverter(TrafficDataConverter.get(), List.of(codec()), false);
  }

  /** The key ids, the encrypting one first; never the keys. */
  @Override
  public String toString() {
    return encrypts()
        ? "payload encryption with key id "
            + keys.ids().get(0)
            + (keys.keys().size() > 1
                ? " (also decrypting "
                    + String.join(", ", keys.ids().subList(1, keys.ids().size()))
                    + ")"
                : "")
            + (requireEncrypted ? ", plain payloads refused" : ", plain payloads accepted")
        : "no payload encryption";
  }
}
