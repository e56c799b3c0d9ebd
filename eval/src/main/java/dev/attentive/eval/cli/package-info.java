/** The picocli commands {@code evaluate}, {@code profile} and {@code fetch}, and a main for running them. */
package dev.attentive.eval.cli;
