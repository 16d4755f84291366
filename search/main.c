/*
 * solent-search - the researcher's commands as a program of their own
 * (commands.c). `solent search` and its siblings run the same code in the
 * front's own process.
 */
#include "search.h"

int main(int argc, char **argv)
{
	return srch_main(argc, argv);
}
