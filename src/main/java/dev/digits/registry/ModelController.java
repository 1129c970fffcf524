package dev.digits.registry;

import dev.digits.model.ModelMetadata;
import dev.digits.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The model registry over HTTP: versions, aliases, promotion, rollback, import and download. */
@RestController
@RequestMapping("/models")
class ModelController {

    private final ModelRegistry registry;
    private final ModelImporter importer;
    private final RegistryProperties properties;

    ModelController(ModelRegistry registry, ModelImporter importer, RegistryProperties properties) {
        this.registry = registry;
        this.importer = importer;
        this.properties = properties;
    }

    record ModelList(String production, Map<String, String> aliases, List<ModelMetadata> versions) {
    }

    record Aliases(String production, Map<String, String> aliases) {
    }

    @GetMapping
    ModelList list() {
        return new ModelList(registry.productionVersion(), registry.aliases(), registry.versions());
    }

    /** A version, or the version an alias points at. */
    @GetMapping("/{version}")
    ModelMetadata get(@PathVariable String version) {
        return registry.metadata(version);
    }

    @PostMapping("/{version}/promote")
    Aliases promote(@PathVariable String version, @RequestParam(defaultValue = ModelRegistry.PRODUCTION) String alias) {
        if (!alias.matches("[a-z][a-z0-9-]{0,39}")) {
            throw new InvalidAliasException("alias must be 1–40 lower-case letters, digits or '-', "
                    + "starting with a letter");
        }
        Map<String, String> aliases = registry.promote(version, alias);
        return new Aliases(registry.productionVersion(), aliases);
    }

    @PostMapping("/rollback")
    Aliases rollback() {
        Map<String, String> aliases = registry.rollback();
        return new Aliases(registry.productionVersion(), aliases);
    }

    @DeleteMapping("/{version}")
    ResponseEntity<Void> delete(@PathVariable String version) {
        registry.delete(version);
        return ResponseEntity.noContent().build();
    }

    /** Imports a model archive (as written by download): a ZIP body, or a multipart {@code file}. */
    @PostMapping(consumes = {"application/zip", MediaType.APPLICATION_OCTET_STREAM_VALUE})
    ResponseEntity<ModelMetadata> importZip(HttpServletRequest request) {
        return created(importer.importArchive(RequestBodies.read(request, properties.maxImportSize().toBytes())));
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<ModelMetadata> importMultipart(@RequestParam("file") MultipartFile file)
            throws IOException {
        return created(importer.importArchive(RequestBodies.read(file, properties.maxImportSize().toBytes(),
                "the model archive")));
    }

    @GetMapping(path = "/{version}/download", produces = "application/zip")
    ResponseEntity<StreamingResponseBody> download(@PathVariable String version) {
        String resolved = registry.resolve(version);
        Path folder = registry.open(resolved).folder();
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"digits-model-" + resolved + ".zip\"")
                .contentType(MediaType.parseMediaType("application/zip"))
                .body(out -> ModelArchiveZip.write(folder, out));
    }

    private static ResponseEntity<ModelMetadata> created(ModelMetadata metadata) {
        return ResponseEntity.created(URI.create("/models/" + metadata.version())).body(metadata);
    }
}
