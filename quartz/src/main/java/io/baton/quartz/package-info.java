/** Quartz jobs tagged with the correlation that scheduled them. */
package io.baton.quartz;
