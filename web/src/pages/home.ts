import { startPage } from '../ui/shell';
import { mount } from '../views/home';

startPage('home', mount);
