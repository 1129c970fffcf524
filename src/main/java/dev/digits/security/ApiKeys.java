package dev.digits.security;

import dev.digits.storage.AtomicFiles;
import dev.digits.DigitsProperties;
import dev.digits.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The known API keys, by SHA-256 only. With no admin key configured, management is still never
 * open: a key is generated at first start, only its hash is written to the store, and the key is
 * printed once.
 */
@Component
public class ApiKeys {

    public enum Role {
        ADMIN, PREDICT
    }

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final Map<String, Role> roles = new HashMap<>();

    public ApiKeys(SecurityProperties properties, DigitsProperties digits) {
        properties.predictKeyHashes().forEach(hash -> roles.put(normalized(hash), Role.PREDICT));
        List<String> admin = properties.adminKeyHashes().isEmpty()
                ? List.of(generatedAdminKeyHash(digits.home().resolve("security").resolve("admin-key.sha256")))
                : properties.adminKeyHashes();
        admin.forEach(hash -> roles.put(normalized(hash), Role.ADMIN));
    }

    /**
     * The role of a presented key, given its {@link #sha256 hash}: comparing hashes makes the lookup's
     * timing independent of the key.
     */
    public Optional<Role> roleOfHash(String keyHash) {
        return Optional.ofNullable(roles.get(keyHash));
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalized(String hash) {
        String hex = hash.trim().toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("API keys are configured as their SHA-256 in hex (64 characters)");
        }
        return hex;
    }

    private static String generatedAdminKeyHash(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = "dk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String hash = sha256(key);
            AtomicFiles.write(file, hash.getBytes(StandardCharsets.US_ASCII));
            log.warn("""

                    ================================================================================
                    No admin API key was configured, so one was generated. It is shown only now;
                    only its SHA-256 is kept ({}). Send it as the X-API-Key header.
                        {}
                    ================================================================================""", file, key);
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the admin key in " + file, e);
        }
    }
}
