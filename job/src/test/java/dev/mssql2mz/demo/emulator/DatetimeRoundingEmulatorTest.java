package dev.mssql2mz.demo.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.LocalDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL Server's rounding of datetime (1/300 s) and smalldatetime (minutes), as the emulator does.
 */
class DatetimeRoundingEmulatorTest {

  @ParameterizedTest(name = "datetime {0} -> {1}")
  @CsvSource({
    "2024-01-01T23:59:59.999, 2024-01-02T00:00:00",
    "2024-01-01T23:59:59.998, 2024-01-01T23:59:59.997",
    "2024-01-01T23:59:59.997, 2024-01-01T23:59:59.997",
    "2024-01-01T23:59:59.995, 2024-01-01T23:59:59.997",
    "2024-01-01T23:59:59.994, 2024-01-01T23:59:59.993",
    "2024-01-01T23:59:59.992, 2024-01-01T23:59:59.993",
    "2024-01-01T23:59:59.991, 2024-01-01T23:59:59.990",
    "2024-01-01T00:00:00.001, 2024-01-01T00:00",
    "2024-01-01T00:00:00.002, 2024-01-01T00:00:00.003",
    "2024-01-01T00:00:00.005, 2024-01-01T00:00:00.007",
    "2024-01-01T23:59:59.9995, 2024-01-02T00:00",
    "2024-01-01T23:59:59.9949, 2024-01-01T23:59:59.993",
    "2024-12-31T23:59:59.9983333, 2024-12-31T23:59:59.997",
    "1753-01-01T00:00, 1753-01-01T00:00",
    "9999-12-31T23:59:59.997, 9999-12-31T23:59:59.997"
  })
  void datetimeRoundsToTheNearestThreeHundredthOfASecond(String in, String out)
      throws SQLException {
    assertThat(DatetimeRounding.datetime(LocalDateTime.parse(in)))
        .isEqualTo(LocalDateTime.parse(out));
  }

  @ParameterizedTest(name = "smalldatetime {0} -> {1}")
  @CsvSource({
    "2007-05-08T12:35:29, 2007-05-08T12:35",
    "2007-05-08T12:35:29.998, 2007-05-08T12:35",
    "2007-05-08T12:35:29.999, 2007-05-08T12:36",
    "2007-05-08T12:35:30, 2007-05-08T12:36",
    "2007-05-08T12:59:59.998, 2007-05-08T13:00",
    "2007-05-09T23:59:59, 2007-05-10T00:00",
    "2079-06-06T23:59:29, 2079-06-06T23:59"
  })
  void smalldatetimeRoundsToTheMinuteAfterRoundingToADatetime(String in, String out)
      throws SQLException {
    assertThat(DatetimeRounding.smalldatetime(LocalDateTime.parse(in)))
        .isEqualTo(LocalDateTime.parse(out));
  }

  @ParameterizedTest(name = "{0} {1} is out of range")
  @CsvSource({
    "datetime, 1752-12-31T23:59:59.997",
    "datetime, 9999-12-31T23:59:59.999",
    "smalldatetime, 1899-12-31T23:59",
    "smalldatetime, 2079-06-06T23:59:30"
  })
  void valuesOutsideTheRangeFailLikeMsg242(String type, String in) {
    LocalDateTime value = LocalDateTime.parse(in);
    assertThatThrownBy(
            () -> {
              if (type.equals("datetime")) {
                DatetimeRounding.datetime(value);
              } else {
                DatetimeRounding.smalldatetime(value);
              }
            })
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(242));
  }
}
