package dev.mssql2mz.source;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;

/**
 * Gives {@link ChangeRecord} its own {@link ChangeRecordSerializer} wherever Flink extracts its
 * type (through the {@code @TypeInfo} annotation), instead of a Kryo fallback.
 */
public final class ChangeRecordTypeInfoFactory extends TypeInfoFactory<ChangeRecord> {

  @Override
  public TypeInformation<ChangeRecord> createTypeInfo(
      Type t, Map<String, TypeInformation<?>> genericParameters) {
    return new GenericTypeInfo<>(ChangeRecord.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public TypeSerializer<ChangeRecord> createSerializer(
          org.apache.flink.api.common.serialization.SerializerConfig config) {
        return ChangeRecordSerializer.INSTANCE;
      }

      @Override
      @SuppressWarnings("deprecation")
      public TypeSerializer<ChangeRecord> createSerializer(
          org.apache.flink.api.common.ExecutionConfig config) {
        return ChangeRecordSerializer.INSTANCE;
      }
    };
  }
}
