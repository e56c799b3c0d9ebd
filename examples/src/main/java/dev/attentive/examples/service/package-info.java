/**
 * A host application example that is a real service: recommendations, similar items, catalogue
 * updates and model swaps over HTTP (the JDK's {@code com.sun.net.httpserver}), JSON in and out,
 * wired by Guice from a config file. {@link dev.attentive.examples.service.RecommendationService}
 * documents the endpoints.
 */
package dev.attentive.examples.service;
