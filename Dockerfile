# syntax=docker/dockerfile:1
# digits on CPU.  Build: docker build -t digits .
# Run: docker run -p 8080:8080 -v digits-data:/data digits      (GPU: see Dockerfile.gpu)

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
# Any Maven bootstraps ./mvnw, which then runs the version pinned in .mvn/wrapper.
RUN apt-get update && apt-get install -y --no-install-recommends maven && rm -rf /var/lib/apt/lists/*
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/digits.jar extract --layers --destination /layers
# Unpack PyTorch's native libraries now, so that the container never extracts or downloads at start.
RUN mkdir -p /app && cp -r /layers/*/. /app/ \
 && java -DENGINE_CACHE_DIR=/opt/djl -cp /app/digits.jar dev.digits.engine.PrepareEngine

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system digits && useradd --system --gid digits --home-dir /app digits \
 && mkdir -p /data && chown digits:digits /data
WORKDIR /app
# Layers from the least to the most often changed, so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY --from=build --chown=digits:digits /opt/djl /opt/djl
USER digits
ENV DIGITS_HOME=/data \
    DIGITS_ENGINE_CACHE_DIR=/opt/djl \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true -XX:MaxRAMPercentage=60"
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-jar", "/app/digits.jar"]
