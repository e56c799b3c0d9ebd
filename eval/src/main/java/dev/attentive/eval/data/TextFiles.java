package dev.attentive.eval.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Strict line reading and field parsing shared by the loaders; stateless. */
final class TextFiles {
    private TextFiles() {
    }

    /** A line of a file with its number from 1. */
    record Line(Path file, long number, String text) {
        DataFormatException error(String field, String problem) {
            return new DataFormatException(file, number, field, problem);
        }

        int parseInt(String[] fields, int index, String name) {
            String raw = fields[index].trim();
            try {
                return Integer.parseInt(raw);
            } catch (NumberFormatException e) {
                throw error(name, "expected an integer, got '" + raw + "'");
            }
        }

        long parseLong(String[] fields, int index, String name) {
            String raw = fields[index].trim();
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                throw error(name, "expected an integer, got '" + raw + "'");
            }
        }

        float parseFloat(String[] fields, int index, String name) {
            String raw = fields[index].trim();
            try {
                float v = Float.parseFloat(raw);
                if (!Float.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(name, "expected a finite number, got '" + raw + "'");
            }
        }

        double parseDouble(String[] fields, int index, String name) {
            String raw = fields[index].trim();
            try {
                double v = Double.parseDouble(raw);
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw error(name, "expected a finite number, got '" + raw + "'");
            }
        }

        String nonBlank(String[] fields, int index, String name) {
            String raw = fields[index].trim();
            if (raw.isEmpty()) {
                throw error(name, "expected a non-empty value");
            }
            return raw;
        }

        void expectFields(String[] fields, String expectation, int... allowed) {
            for (int a : allowed) {
                if (fields.length == a) {
                    return;
                }
            }
            throw error("", "expected " + expectation + ", got " + fields.length + " field(s) in '" + abbreviate(text) + "'");
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /**
     * Reads all non-empty lines strictly in the given charset: bytes that are not valid in it fail
     * with the line number.
     */
    static List<Line> lines(Path file, Charset charset) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, 0, "", "file not found (expected a regular file here)");
        }
        var decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Line> out = new ArrayList<>();
        long number = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String text;
            while (true) {
                try {
                    text = reader.readLine();
                } catch (CharacterCodingException e) {
                    throw new DataFormatException(file, number + 1, "",
                            "bytes that are not valid " + charset.name() + " (" + e + "); convert the file to "
                                    + charset.name() + " or declare its encoding");
                }
                if (text == null) {
                    break;
                }
                number++;
                if (!text.isBlank()) {
                    out.add(new Line(file, number, text));
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, "", "file not found");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return out;
    }

    /** Splits on a literal separator, keeping empty fields. */
    static String[] split(String text, String separator) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int at = text.indexOf(separator, start);
            if (at < 0) {
                parts.add(text.substring(start));
                break;
            }
            parts.add(text.substring(start, at));
            start = at + separator.length();
        }
        return parts.toArray(String[]::new);
    }

    /**
     * Splits one CSV record (RFC 4180 quoting with {@code ""} escapes; no line breaks inside quotes).
     */
    static String[] splitCsv(Line line, char separator) {
        String text = line.text();
        List<String> parts = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == separator) {
                parts.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw line.error("", "unterminated quoted field in '" + abbreviate(text) + "'");
        }
        parts.add(field.toString());
        return parts.toArray(String[]::new);
    }
}
