/**
 * The {@code attentive} command line (the all-in-one runnable jar's entry point) and runnable
 * examples of the library in use.
 */
package dev.attentive.examples;
