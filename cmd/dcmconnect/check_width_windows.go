//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// ttyColumns is the width of the console window f writes to (false when f is no console).
func ttyColumns(f *os.File) (int, bool) {
	var info windows.ConsoleScreenBufferInfo
	if err := windows.GetConsoleScreenBufferInfo(windows.Handle(f.Fd()), &info); err != nil {
		return 0, false
	}
	w := int(info.Window.Right-info.Window.Left) + 1
	return w, w > 0
}
