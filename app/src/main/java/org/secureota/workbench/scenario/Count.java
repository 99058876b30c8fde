package org.secureota.workbench.scenario;

/**
 * A number an expectation compares with: {@code 0}, {@code ">= 1"}, {@code "< 4096"}. Written as a
 * bare number it means "exactly".
 */
public record Count(Comparison comparison, long value) {

    public enum Comparison {
        EQUAL("=="), AT_LEAST(">="), AT_MOST("<="), MORE_THAN(">"), LESS_THAN("<");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public static Count exactly(long value) {
        return new Count(Comparison.EQUAL, value);
    }

    public static Count atLeast(long value) {
        return new Count(Comparison.AT_LEAST, value);
    }

    public boolean test(long seen) {
        return switch (comparison) {
            case EQUAL -> seen == value;
            case AT_LEAST -> seen >= value;
            case AT_MOST -> seen <= value;
            case MORE_THAN -> seen > value;
            case LESS_THAN -> seen < value;
        };
    }

    /** Parses {@code 12}, {@code ">= 1"}, {@code ">0"}; throws with the accepted forms. */
    public static Count parse(String text) {
        String t = text.trim();
        for (String symbol : new String[] {">=", "<=", "==", ">", "<"}) {
            if (t.startsWith(symbol)) {
                Comparison c = switch (symbol) {
                    case ">=" -> Comparison.AT_LEAST;
                    case "<=" -> Comparison.AT_MOST;
                    case ">" -> Comparison.MORE_THAN;
                    case "<" -> Comparison.LESS_THAN;
                    default -> Comparison.EQUAL;
                };
                return new Count(c, number(t.substring(symbol.length()).trim(), text));
            }
        }
        return exactly(number(t, text));
    }

    private static long number(String digits, String whole) {
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + whole + "' is not a count: expected a number of 0 or more, "
                    + "optionally after ==, >=, <=, > or < (for example 0 or \">= 1\")");
        }
    }

    @Override
    public String toString() {
        return comparison == Comparison.EQUAL ? Long.toString(value) : comparison.symbol() + " " + value;
    }
}
