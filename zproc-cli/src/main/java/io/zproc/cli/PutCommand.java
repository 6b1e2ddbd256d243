package io.zproc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.zproc.ZProc;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code zproc put}: stores one value, given as JSON (or as a plain string). */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = {
      "Stores VALUE under KEY. VALUE is read as JSON (5, true, null, [1,2], {\"a\":1},"
          + " \"text\"); a VALUE that is not JSON is stored as a string (Alice, 5 apples);"
          + " --string always stores a string (--string 5 stores \"5\")."
    })
final class PutCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Parameters(index = "0", paramLabel = "KEY", description = "the key")
  String key;

  @Parameters(index = "1", paramLabel = "VALUE", description = "the value (JSON, else a string)")
  String value;

  @Option(names = "--string", description = "store VALUE as a string, even if it reads as JSON")
  boolean asString;

  @Override
  public Integer call() throws Exception {
    Object parsed = asString ? value : jsonOrString(value);
    try (ZProc ctx = connection.open()) {
      ctx.state().put(key, parsed).block(connection.timeout());
    }
    return 0;
  }

  static Object jsonOrString(String text) {
    try {
      return Json.read(text);
    } catch (JsonProcessingException e) {
      return text;
    }
  }
}
