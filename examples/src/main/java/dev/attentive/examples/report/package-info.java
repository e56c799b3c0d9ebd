/**
 * The reports the command line writes next to the library's JSON: markdown and HTML pages and their
 * PNG plots (drawn with XChart) for an experiment ({@code report.md}, {@code report.html}) and for a
 * dataset profile ({@code profile.md}, {@code profile.html}).
 */
package dev.attentive.examples.report;
