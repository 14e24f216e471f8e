package dev.mssql2mz.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every Log4j 2 event of the JVM, at {@code level} and above, with message, logger,
 * thread, context data and the full stack trace of any exception, while the console keeps the level
 * it had. Close it to restore the configuration.
 */
public final class LogCapture implements AutoCloseable {

  private final List<String> events = new ArrayList<>();
  private final LoggerContext context;
  private final Appender appender;
  private final List<LoggerConfig> changed = new ArrayList<>();
  private final List<Level> previousLevels = new ArrayList<>();
  private final List<Level> consoleLevels = new ArrayList<>();

  private LogCapture(Level level) {
    context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        new AbstractAppender("leak-check", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            StringBuilder sb =
                new StringBuilder()
                    .append(event.getLevel())
                    .append(' ')
                    .append(event.getLoggerName())
                    .append(" [")
                    .append(event.getThreadName())
                    .append("] ")
                    .append(event.getMessage().getFormattedMessage())
                    .append(' ')
                    .append(event.getContextData());
            if (event.getThrown() != null) {
              StringWriter w = new StringWriter();
              event.getThrown().printStackTrace(new PrintWriter(w));
              sb.append('\n').append(w);
            }
            synchronized (events) {
              events.add(sb.toString());
            }
          }
        };
    appender.start();
    config.addAppender(appender);
    for (LoggerConfig lc : config.getLoggers().values()) {
      changed.add(lc);
      previousLevels.add(lc.getLevel());
      Appender console = lc.getAppenders().get("console");
      if (console != null) {
        // keep the console as quiet as it was
        Level was = lc.getLevel();
        consoleLevels.add(was);
        lc.removeAppender("console");
        lc.addAppender(console, was, null);
      } else {
        consoleLevels.add(null);
      }
      lc.addAppender(appender, level, null);
      lc.setLevel(level);
    }
    context.updateLoggers();
  }

  /** Starts capturing at {@code level} and above. */
  public static LogCapture start(Level level) {
    return new LogCapture(level);
  }

  /** Everything captured so far, one event per entry. */
  public String text() {
    synchronized (events) {
      return String.join("\n", events);
    }
  }

  public int eventCount() {
    synchronized (events) {
      return events.size();
    }
  }

  @Override
  public void close() {
    Configuration config = context.getConfiguration();
    for (int i = 0; i < changed.size(); i++) {
      LoggerConfig lc = changed.get(i);
      lc.removeAppender(appender.getName());
      lc.setLevel(previousLevels.get(i));
      if (consoleLevels.get(i) != null) {
        Appender console = lc.getAppenders().get("console");
        lc.removeAppender("console");
        lc.addAppender(console, null, null);
      }
    }
    config.getAppenders().remove(appender.getName());
    appender.stop();
    context.updateLoggers();
  }
}
