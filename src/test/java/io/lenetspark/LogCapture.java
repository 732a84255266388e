package io.lenetspark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The messages one logger logs from now on, at the levels the logging configuration lets through. */
public final class LogCapture implements AutoCloseable {

    private record Line(Level level, String message) {
    }

    private final Logger logger;
    private final AbstractAppender appender;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        logger = (Logger) LogManager.getLogger(loggerName);
        appender = new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures the logger named {@code loggerName}, usually a class name. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public List<String> messages() {
        return lines.stream().map(Line::message).toList();
    }

    public List<String> messagesAt(Level level) {
        return lines.stream().filter(line -> line.level() == level).map(Line::message).toList();
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
