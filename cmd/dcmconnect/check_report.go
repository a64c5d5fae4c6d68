package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"dcmconnect/setup"
)

// Report widths: a pipe or file gets defaultColumns. When the detail
// column would be narrower than stackedBelow, each line's detail goes under
// its title instead of beside it.
const (
	defaultColumns = 100
	minColumns     = 40
	stackedBelow   = 30
	columnGap      = 2
	detailAtLeast  = 40
)

// Step and check column widths to try, roomiest first: the first that
// leaves the detail detailAtLeast columns wins, else the last. The check
// column keeps a rule name (up to 30 characters) whole where it can.
var columnCaps = [][2]int{{30, 32}, {22, 30}, {16, 30}, {22, 20}}

// reportColumns is how wide `check` prints: $COLUMNS when set, else the
// terminal's width, else defaultColumns (not a terminal).
func reportColumns(w io.Writer, env []string) int {
	if n, err := strconv.Atoi(envOr(env, "COLUMNS", "")); err == nil && n > 0 {
		return max(n, minColumns)
	}
	if f, ok := w.(*os.File); ok {
		if n, ok := ttyColumns(f); ok {
			return max(n, minColumns)
		}
	}
	return defaultColumns
}

// statusWord is a line's status in the table; not checked is its own word.
func statusWord(s setup.Status) string {
	if s == setup.Skip {
		return "SKIP"
	}
	return strings.ToUpper(string(s))
}

// printReport is the table, every row within width columns: status, step,
// check and detail, with the fix under the detail of each line that did not
// pass. Long cells wrap inside their column; a row's continuation lines
// start with spaces, so each row starts with its status.
func printReport(w io.Writer, r *setup.Report, width int) {
	const statusW = len("STATUS")
	var stepW, checkW, detailW int
	for _, caps := range columnCaps {
		stepW, checkW = len("STEP"), len("CHECK")
		for _, l := range r.Lines {
			stepW, checkW = max(stepW, min(runes(l.Step), caps[0])), max(checkW, min(runes(l.Check), caps[1]))
		}
		if detailW = width - statusW - stepW - checkW - 3*columnGap; detailW >= detailAtLeast {
			break
		}
	}
	stacked := detailW < stackedBelow
	cells := func(cols ...[]string) {
		widths := []int{statusW, stepW, checkW, detailW}
		rows := 0
		for _, c := range cols {
			rows = max(rows, len(c))
		}
		for i := range rows {
			var b strings.Builder
			for j, c := range cols {
				cell := ""
				if i < len(c) {
					cell = c[i]
				}
				if j == len(cols)-1 {
					b.WriteString(cell)
					break
				}
				b.WriteString(cell + strings.Repeat(" ", widths[j]-runes(cell)+columnGap))
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
	}
	if !stacked {
		cells([]string{"STATUS"}, []string{"STEP"}, []string{"CHECK"}, []string{"DETAIL"})
	}
	for _, l := range r.Lines {
		detail := wrap(l.Detail, detailW)
		if l.Status != setup.Pass && l.Fix != "" {
			detail = append(detail, wrap("fix: "+l.Fix, detailW)...)
		}
		if !stacked {
			cells([]string{statusWord(l.Status)}, wrap(l.Step, stepW), wrap(l.Check, checkW), detail)
			continue
		}
		// Narrow: status and title on the first line, the rest indented.
		indent := strings.Repeat(" ", statusW+columnGap)
		title := wrap(l.Step+" · "+l.Check, width-len(indent))
		fmt.Fprintf(w, "%-*s%s\n", statusW+columnGap, statusWord(l.Status), title[0])
		rest := append(title[1:], wrap(l.Detail, width-len(indent))...)
		if l.Status != setup.Pass && l.Fix != "" {
			rest = append(rest, wrap("fix: "+l.Fix, width-len(indent))...)
		}
		for _, s := range rest {
			fmt.Fprintln(w, indent+s)
		}
	}
	fmt.Fprintln(w)
	for _, s := range wrap(fmt.Sprintf("%d checks: %d pass, %d warn, %d fail, %d not checked", len(r.Lines), r.Pass, r.Warn, r.Fail, r.NotChecked), width) {
		fmt.Fprintln(w, s)
	}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// wrap breaks s into lines of at most width runes at spaces; a word longer
// than width (a URL) is cut.
func wrap(s string, width int) []string {
	width = max(width, 1)
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		for runes(word) > width {
			if line != "" {
				out, line = append(out, line), ""
			}
			r := []rune(word)
			out, word = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case line == "":
			line = word
		case runes(line)+1+runes(word) <= width:
			line += " " + word
		default:
			out, line = append(out, line), word
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}
