package dev.mssql2mz.source.reader;

import dev.mssql2mz.source.split.StreamSplit;
import dev.mssql2mz.source.split.WindowChunk;
import dev.mssql2mz.sqlserver.CapturedTable;
import dev.mssql2mz.sqlserver.ChangePosition;
import dev.mssql2mz.udfs.Lsn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Progress of the stream split: see {@link StreamSplit} for the meaning of each field. */
public final class StreamState implements SplitState {

  List<CapturedTable> tables;
  List<WindowChunk> window;
  Lsn windowUpper;
  int windowIndex;
  ChangePosition windowPosition;
  ChangePosition position;
  Map<String, Lsn> tableStart;
  Lsn progressFloor;
  Lsn lastProgress;
  boolean progressAllowed;

  StreamState(StreamSplit s) {
    tables = new ArrayList<>(s.tables());
    window = new ArrayList<>(s.window());
    windowUpper = s.windowUpper();
    windowIndex = s.windowIndex();
    windowPosition = s.windowPosition();
    position = s.position();
    tableStart = new LinkedHashMap<>(s.tableStart());
    progressFloor = s.progressFloor();
    lastProgress = s.lastProgress();
    progressAllowed = s.progressAllowed();
  }

  @Override
  public StreamSplit toSplit() {
    return new StreamSplit(
        tables,
        window,
        windowUpper,
        windowIndex,
        windowPosition,
        position,
        tableStart,
        progressFloor,
        lastProgress,
        progressAllowed);
  }
}
