package dev.digits.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code X-API-Key} (or {@code Authorization: Bearer}) requests. A key that is
 * presented but unknown is refused at once with 401, rather than treated as anonymous.
 */
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    /** Request attribute with the SHA-256 of a valid presented key, so later filters need not hash it again. */
    static final String KEY_HASH = ApiKeyFilter.class.getName() + ".keyHash";

    private final ApiKeys keys;
    private final ProblemResponses problems;

    ApiKeyFilter(ApiKeys keys, ProblemResponses problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> key = presentedKey(request);
        if (key.isPresent()) {
            String hash = ApiKeys.sha256(key.get());
            request.setAttribute(KEY_HASH, hash);
            Optional<ApiKeys.Role> role = keys.roleOfHash(hash);
            if (role.isEmpty()) {
                problems.write(request, response, 401, "Unauthorized", "the API key is not valid");
                return;
            }
            List<SimpleGrantedAuthority> authorities = role.get() == ApiKeys.Role.ADMIN
                    ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN"), new SimpleGrantedAuthority("ROLE_PREDICT"))
                    : List.of(new SimpleGrantedAuthority("ROLE_PREDICT"));
            String principal = "key:" + hash.substring(0, 12);
            SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(principal, null, authorities));
        }
        chain.doFilter(request, response);
    }

    static Optional<String> presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null && !header.isBlank()) {
            return Optional.of(header.trim());
        }
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        return Optional.empty();
    }
}
