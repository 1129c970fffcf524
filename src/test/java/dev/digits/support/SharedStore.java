package dev.digits.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh PostgreSQL database and S3 bucket on real servers, and the settings that point the
 * service at them ({@code digits.store=postgres}, {@code digits.blobs=s3}).
 */
public record SharedStore(PostgresTarget postgres, String database, S3Target s3, String bucket) {

    public static SharedStore create(PostgresTarget postgres, S3Target s3) {
        return new SharedStore(postgres, postgres.createDatabase(), s3, s3.createBucket());
    }

    public Map<String, String> properties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("digits.store", "postgres");
        properties.put("spring.datasource.url", postgres.jdbcUrl(database));
        properties.put("spring.datasource.username", postgres.username());
        properties.put("spring.datasource.password", postgres.password());
        properties.put("digits.blobs", "s3");
        properties.put("digits.s3.endpoint", s3.endpoint().toString());
        properties.put("digits.s3.region", s3.region());
        properties.put("digits.s3.bucket", bucket);
        properties.put("digits.s3.path-style", "true");
        properties.put("digits.s3.access-key", s3.accessKey());
        properties.put("digits.s3.secret-key", s3.secretKey());
        return properties;
    }

    /** {@link #properties()} as command-line arguments of a service process. */
    public List<String> arguments() {
        return properties().entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }
}
