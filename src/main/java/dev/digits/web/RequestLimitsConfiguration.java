package dev.digits.web;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

/** Where the request size limits of {@link RequestLimits} are installed. */
@Configuration(proxyBeanMethods = false)
class RequestLimitsConfiguration {

    /**
     * The servlet container parses a multipart body before any handler sees it, so its limits are
     * the largest of any endpoint (which a smaller endpoint's declared length never reaches: see
     * {@link RequestSizeFilter}). Parts are written to temporary files rather than held in memory.
     */
    @Bean
    MultipartConfigElement multipartConfigElement(RequestLimits limits) {
        return new MultipartConfigElement("", limits.largest(), limits.largest(), 0);
    }

    @Bean
    FilterRegistrationBean<RequestSizeFilter> requestSizeFilter(RequestLimits limits,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver errors,
            ObjectProvider<ProtocolErrors> protocols) {
        FilterRegistrationBean<RequestSizeFilter> registration = new FilterRegistrationBean<>(
                new RequestSizeFilter(limits, errors, protocols));
        registration.addUrlPatterns("/*");
        return registration;
    }
}
