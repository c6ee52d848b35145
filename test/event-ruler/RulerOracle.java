import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.RuleCompiler;

/**
 * Asks AWS Event Ruler about pattern/event pairs, for the differential test of our pattern engine.
 *
 * <p>Reads JSON lines on stdin, each {@code {"id":n,"pattern":<json>,"event":<json>}} or an array of those (a
 * batch), and writes one line per pair: {@code {"id":n,"valid":bool,"error":string|null,"matches":bool|null}},
 * plus {@code "legacyOnly":true} when only the legacy compiler accepts the pattern and {@code "unstable":true}
 * when repeated tries disagree (see below). Output is flushed whenever stdin has nothing more buffered, so a
 * caller can stream questions and read answers from one long-lived JVM.
 *
 * <p>The pattern and event are handed to Event Ruler as the exact text found in the input line, never
 * re-serialized, so number spellings reach it untouched.
 *
 * <p>Event Ruler's answer for a few patterns depends on the iteration order of identity-hashed sets, so the same
 * question can get both answers within one JVM. Each question is therefore matched {@code --tries} times (default 3),
 * each time in a fresh Machine; answers that differ give {@code "matches":null,"unstable":true}.
 */
public final class RulerOracle {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final class Question {
    long id = -1;
    String pattern;
    String event;
  }

  private static int tries = 3;

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("--tries")) tries = Math.max(1, Integer.parseInt(args[1]));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    String line;
    long lineNumber = 0;
    while ((line = in.readLine()) != null) {
      lineNumber++;
      if (!line.isBlank()) {
        List<Question> questions;
        try {
          questions = parseLine(line);
        } catch (IOException | IllegalArgumentException e) {
          out.flush();
          System.err.println("RulerOracle: input line " + lineNumber + " is not a question: " + e.getMessage());
          System.exit(2);
          return;
        }
        for (Question question : questions) {
          out.write(answer(question));
          out.write('\n');
        }
      }
      if (!in.ready()) out.flush();
    }
    out.flush();
  }

  /** One question, or a batch of them as a JSON array. */
  private static List<Question> parseLine(String line) throws IOException {
    List<Question> questions = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(line)) {
      JsonToken first = parser.nextToken();
      if (first == JsonToken.START_ARRAY) {
        while (parser.nextToken() == JsonToken.START_OBJECT) questions.add(parseQuestion(parser, line));
        if (parser.currentToken() != JsonToken.END_ARRAY) throw new IllegalArgumentException("batch must hold objects");
      } else if (first == JsonToken.START_OBJECT) {
        questions.add(parseQuestion(parser, line));
      } else {
        throw new IllegalArgumentException("expected an object or an array");
      }
    }
    return questions;
  }

  /** Reads one question object; the parser stands on its START_OBJECT and is left on its END_OBJECT. */
  private static Question parseQuestion(JsonParser parser, String line) throws IOException {
    Question question = new Question();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id":
          question.id = parser.getLongValue();
          break;
        case "pattern":
          question.pattern = rawValue(parser, value, line);
          break;
        case "event":
          question.event = rawValue(parser, value, line);
          break;
        default:
          parser.skipChildren();
      }
    }
    if (question.id < 0 || question.pattern == null || question.event == null) {
      throw new IllegalArgumentException("a question needs id, pattern and event");
    }
    return question;
  }

  /** The text of the value the parser stands on, exactly as written in the line. */
  private static String rawValue(JsonParser parser, JsonToken token, String line) throws IOException {
    int start = (int) parser.currentTokenLocation().getCharOffset();
    if (token.isStructStart()) {
      parser.skipChildren();
    } else {
      parser.finishToken();
    }
    int end = (int) parser.currentLocation().getCharOffset();
    return line.substring(start, end);
  }

  private static String answer(Question question) throws IOException {
    ObjectNode out = MAPPER.createObjectNode();
    out.put("id", question.id);
    // Machine.addRule compiles with JsonRuleCompiler (which knows $or); RuleCompiler.check does not know $or
    // and would call every $or pattern invalid. addRule falls back to RuleCompiler, reading "$or" as a field name.
    String problem = JsonRuleCompiler.check(question.pattern);
    if (problem != null) {
      out.put("valid", false);
      out.put("error", firstLine(problem));
      out.putNull("matches");
      if (RuleCompiler.check(question.pattern) == null) out.put("legacyOnly", true);
      return MAPPER.writeValueAsString(out);
    }
    out.put("valid", true);
    try {
      Boolean answer = null;
      for (int i = 0; i < tries; i++) {
        // A fresh Machine each time: what one rule does must not depend on the rules judged before it.
        Machine machine = Machine.builder().build();
        machine.addRule("rule", question.pattern);
        boolean matches = !machine.rulesForJSONEvent(question.event).isEmpty();
        if (answer != null && answer != matches) {
          out.put("error", "unstable: Event Ruler answered both ways over " + (i + 1) + " tries");
          out.putNull("matches");
          out.put("unstable", true);
          return MAPPER.writeValueAsString(out);
        }
        answer = matches;
      }
      out.putNull("error");
      out.put("matches", answer);
    } catch (Exception | StackOverflowError e) {
      out.put("error", "matching failed: " + firstLine(String.valueOf(e)));
      out.putNull("matches");
    }
    return MAPPER.writeValueAsString(out);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
