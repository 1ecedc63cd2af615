package stats

import "os"

// ReadTableFile reads the tab-separated table in the file at path
// (ReadTable; errors name the path).
func ReadTableFile(path string) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadTable(f, path)
}
