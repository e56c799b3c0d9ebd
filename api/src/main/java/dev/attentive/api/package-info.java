/**
 * Attentive's stable public contract: value records (ids, interactions, features, requests,
 * recommendations), the {@link dev.attentive.api.Dataset} that loaders and host apps produce, and
 * the interfaces that models, towers, attention plugins and retrievers implement.
 */
package dev.attentive.api;
