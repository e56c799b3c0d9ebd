/**
 * The plugin SPI: provider interfaces found by {@link java.util.ServiceLoader}, typed config
 * binding, and the one {@link dev.attentive.api.spi.ProviderRegistry} that finds providers by name.
 */
package dev.attentive.api.spi;
