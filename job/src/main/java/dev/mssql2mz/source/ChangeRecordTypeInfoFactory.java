package dev.mssql2mz.source;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Gives {@link ChangeRecord} its own {@link ChangeRecordTypeInfo} wherever Flink extracts its type
 * (through the {@code @TypeInfo} annotation), instead of a Kryo fallback.
 */
public final class ChangeRecordTypeInfoFactory extends TypeInfoFactory<ChangeRecord> {

  @Override
  public TypeInformation<ChangeRecord> createTypeInfo(
      Type t, Map<String, TypeInformation<?>> genericParameters) {
    return ChangeRecordTypeInfo.INSTANCE;
  }
}
