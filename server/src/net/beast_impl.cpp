// The one translation unit that compiles Boost.Asio and Boost.Beast. Every other file that includes
// their headers is built with BOOST_ASIO_SEPARATE_COMPILATION / BOOST_BEAST_SEPARATE_COMPILATION
// (inherited from the glucoplay_beast target), so the implementation is not recompiled per file.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
