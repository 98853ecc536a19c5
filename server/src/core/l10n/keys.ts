// Keys shared by the catalogs and the code that reports them (no strings shown to users).

/** The syntax-error detail of a blank file: the editor's hint to type a snippet. */
export const EMPTY_FILE = 'EmptyFile';
